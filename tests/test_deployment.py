"""docker-compose.yml wiring, checked with the real `docker compose config` (or docker-compose 1.29).

Without either tool the file is interpolated here (``${VAR}``, ``${VAR:-default}``, ``${VAR:?msg}``)
and the same checks run on the result.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
SECRETS = ("POSTGRES_PASSWORD", "TRIAGE_VAULT_KEY", "VLLM_API_KEY")
VALUES = {"POSTGRES_PASSWORD": "pg-secret", "TRIAGE_VAULT_KEY": "vault-secret", "VLLM_API_KEY": "vllm-secret"}
VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(?:(:[-?])([^}]*))?\}")


def compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def interpolate(text: str, env: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        if env.get(name):
            return env[name]
        if operator == ":?":
            raise ValueError(f"{name}: {argument}")
        return argument if operator == ":-" else ""

    return VARIABLE.sub(value, text)


def config(env: dict[str, str], tmp_path: Path) -> tuple[int, str]:
    """(exit status, output) of `compose config` with exactly ``env`` (no .env file, no shell env)."""
    command = compose_command()
    if command is None:
        try:
            return 0, interpolate(COMPOSE.read_text(), env)
        except ValueError as exc:
            return 1, str(exc)
    empty = tmp_path / "empty.env"
    empty.write_text("")
    result = subprocess.run(
        [*command, "--project-directory", str(ROOT), "--env-file", str(empty), "-f", str(COMPOSE), "config"],
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> dict:
    status, output = config(VALUES, tmp_path_factory.mktemp("compose"))
    assert status == 0, output
    return yaml.safe_load(output)["services"]


def test_services_and_start_order(services: dict):
    assert set(services) == {"postgres", "migrate", "vllm", "backend", "frontend", "prometheus"}
    conditions = {
        name: {dep: spec["condition"] for dep, spec in service.get("depends_on", {}).items()}
        for name, service in services.items()
    }
    assert conditions == {
        "postgres": {},
        "vllm": {},
        "migrate": {"postgres": "service_healthy"},
        "backend": {"migrate": "service_completed_successfully", "vllm": "service_healthy"},
        "frontend": {"backend": "service_healthy"},
        "prometheus": {"backend": "service_healthy"},
    }
    for name in ("postgres", "vllm", "backend"):
        assert services[name]["healthcheck"]["test"], name
    assert services["migrate"]["restart"] == "no"  # one-shot
    assert any("pgdata" in str(volume) for volume in services["postgres"]["volumes"])


def test_vllm_serves_on_gpu_with_the_adapter_the_backend_asks_for(services: dict):
    vllm, backend = services["vllm"], services["backend"]
    [device] = vllm["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and "gpu" in device["capabilities"]
    command = vllm["command"]
    assert "--enable-lora" in command
    adapter = command[command.index("--lora-modules") + 1].split("=")[0]
    environment = backend["environment"]
    assert environment["TRIAGE_MODEL__ADAPTER"] == adapter
    assert environment["TRIAGE_MODEL__BACKEND"] == "openai"
    assert environment["TRIAGE_MODEL__BASE_URL"] == "http://vllm:8000/v1"
    assert command[command.index("--served-model-name") + 1] == environment["TRIAGE_MODEL__NAME"]
    assert command[command.index("--api-key") + 1] == environment["TRIAGE_MODEL__API_KEY"] == "vllm-secret"
    assert (
        environment["TRIAGE_VAULT_KEY"] == "vault-secret"
        and environment["TRIAGE_ENVIRONMENT"] == "production"
    )
    assert "pg-secret" in environment["TRIAGE_DATABASE_URL"]
    assert services["frontend"]["environment"]["TRIAGE_UI_BACKEND_URL"] == "http://backend:8000"


def test_prometheus_scrapes_the_backend_metrics(services: dict):
    mounts = [str(volume) for volume in services["prometheus"]["volumes"]]
    assert any("deploy/prometheus.yml" in m and "/etc/prometheus/prometheus.yml" in m for m in mounts)
    scrape = yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text())["scrape_configs"]
    backend = next(job for job in scrape if job["job_name"] == "triage-backend")
    assert backend["metrics_path"] == "/metrics"
    assert backend["static_configs"][0]["targets"] == ["backend:8000"]


def test_secrets_have_no_defaults():
    text = COMPOSE.read_text()
    for name in SECRETS:
        uses = re.findall(r"\$\{" + name + r"([^}]*)\}", text)
        assert uses, name
        assert all(use.startswith(":?") for use in uses), (name, uses)


@pytest.mark.parametrize("missing", SECRETS)
def test_config_fails_when_a_secret_is_unset(missing: str, tmp_path: Path):
    status, output = config({k: v for k, v in VALUES.items() if k != missing}, tmp_path)
    assert status != 0 and missing in output, output

"""Load test: N concurrent patients against a running backend on this machine, then an audit check.

``python -m backend.loadtest --url http://127.0.0.1:8000 --patients 4 --turns 3 --max-seconds 120``

Only ``127.0.0.1``/``localhost`` is accepted, counts and the run time are bounded, and the run stops
by itself. Users are created through the API as an admin (``--admin-username``, password from
``TRIAGE_LOAD_ADMIN_PASSWORD`` or one stdin line with ``--admin-password-stdin``) or, with
``--database-url``, with ``python -m backend.users create --password-stdin``. Each patient opens a
conversation and sends up to ``--turns`` messages of a realistic script (a complaint, then answers to
follow-up questions). The report gives throughput, p50/p95/p99 latency, errors by status and the
audit check: every turn answered 200 must have its own ``turn`` record in the compliance API.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx
import numpy as np

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_PATIENTS = 200
MAX_TURNS = 50
MAX_SECONDS = 1800.0

# Non-emergency complaints with the answers a patient gives to the usual follow-up questions.
SCRIPTS: tuple[tuple[str, ...], ...] = (
    (
        "I've had a sore throat and a mild fever since yesterday.",
        "My temperature was 38.1 this morning. I can swallow, it just hurts.",
        "No trouble breathing. I'm 34 and otherwise healthy.",
        "No rash, no stiff neck. Paracetamol helps a bit.",
    ),
    (
        "My lower back hurts since I lifted boxes on Saturday.",
        "It's a dull ache, about 4 out of 10, worse when I bend.",
        "No numbness or weakness in my legs, and no problems with my bladder.",
        "I'm 45. Ibuprofen takes the edge off.",
    ),
    (
        "I twisted my ankle playing football an hour ago.",
        "It's swollen on the outside but I can walk a few steps.",
        "No cuts, the foot is warm and I can move my toes.",
        "I put ice on it already.",
    ),
    (
        "I've had a cough for about five days, mostly dry.",
        "No fever now, I had a slight temperature at the start.",
        "I'm not short of breath and there is no blood.",
        "I don't smoke. I'm 29.",
    ),
    (
        "It burns when I pee and I need to go all the time.",
        "Started two days ago. No fever and no back pain.",
        "I'm 31, not pregnant, no other illnesses.",
        "I've been drinking more water.",
    ),
    (
        "I have an itchy red rash on both forearms.",
        "It appeared three days ago after gardening.",
        "No swelling of my face or lips, and I can breathe normally.",
        "I haven't started any new medicines.",
    ),
    (
        "My 6 year old son has had an earache since last night.",
        "He had a temperature of 37.9, he is drinking and playing.",
        "No discharge from the ear and he is not drowsy.",
        "He had a cold last week.",
    ),
    (
        "I get headaches most afternoons this week.",
        "They are mild, like a band around my head, 3 out of 10.",
        "No vision changes, no weakness, and it is not the worst headache of my life.",
        "I've been sleeping badly and working at a screen a lot.",
    ),
)


class LoadTestError(RuntimeError):
    """The load run could not be prepared (wrong host, no credentials, users not created)."""


@dataclass
class Report:
    """Everything the run measured."""

    url: str
    patients: int
    turns_per_patient: int
    wall_s: float = 0.0
    requests: int = 0
    turns_ok: int = 0
    escalated_turns: int = 0
    throughput_turns_per_s: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)
    status_counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    stopped_by_deadline: bool = False
    audit_turn_records: int = 0
    audit_missing_event_ids: list[int] = field(default_factory=list)
    audit_ok: bool = False


@dataclass
class _Run:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    answered: dict[str, list[int]] = field(default_factory=dict)  # conversation -> audit_event_ids
    escalated: int = 0
    requests: int = 0
    deadline_hit: bool = False


def require_local(url: str) -> str:
    """Return ``url`` without a trailing slash if it points at this machine.

    Raises:
        LoadTestError: any other host (a load test must never hit a shared or remote service).
    """
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or parsed.hostname not in LOCAL_HOSTS:
        raise LoadTestError(f"refusing to load-test {url!r}: only http(s)://127.0.0.1 or localhost")
    return url.rstrip("/")


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation; 0.0 for no values."""
    return float(np.percentile(values, q)) if values else 0.0


async def _login(
    client: httpx.AsyncClient, username: str, password: str, deadline: float, run: _Run | None = None
) -> str:
    """Bearer token for ``username``; waits out 429s (``Retry-After``) until the deadline."""
    while True:
        response = await client.post("/auth/token", json={"username": username, "password": password})
        if run is not None:
            run.requests += 1
            run.statuses[f"login {response.status_code}"] += 1
        if response.status_code == 200:
            return str(response.json()["access_token"])
        wait = float(response.headers.get("Retry-After", "0") or 0)
        if response.status_code != 429 or time.monotonic() + wait > deadline:
            raise LoadTestError(
                f"log-in of {username!r} failed: {response.status_code} {response.text[:200]}"
            )
        await asyncio.sleep(wait)


async def _create_users_api(
    client: httpx.AsyncClient, admin: tuple[str, str], users: dict[str, tuple[str, str]], deadline: float
) -> None:
    token = await _login(client, *admin, deadline)
    headers = {"Authorization": f"Bearer {token}"}
    for username, (password, role) in users.items():
        body = {"username": username, "password": password, "role": role}
        response = await client.post("/users", json=body, headers=headers)
        if response.status_code != 201:
            raise LoadTestError(f"creating {username!r} failed: {response.status_code} {response.text[:200]}")


async def _create_users_cli(database_url: str, users: dict[str, tuple[str, str]]) -> None:
    async def one(username: str, password: str, role: str) -> None:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "backend.users", "--url", database_url, "create",
            "--username", username, "--role", role, "--password-stdin",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, err = await process.communicate(f"{password}\n".encode())
        if process.returncode != 0:
            raise LoadTestError(f"backend.users create {username!r} failed: {err.decode()[-300:]}")

    await asyncio.gather(*(one(u, p, r) for u, (p, r) in users.items()))


async def _patient(
    client: httpx.AsyncClient, index: int, token: str, turns: int, deadline: float, run: _Run
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    script = SCRIPTS[index % len(SCRIPTS)]
    response = await client.post("/conversations", headers=headers)
    run.requests += 1
    run.statuses[f"create {response.status_code}"] += 1
    if response.status_code != 201:
        run.errors.append(f"patient {index}: create {response.status_code} {response.text[:120]}")
        return
    conversation_id = str(response.json()["id"])
    run.answered[conversation_id] = []
    for turn in range(turns):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            run.deadline_hit = True
            return
        text = script[turn % len(script)]
        started = time.perf_counter()
        try:
            response = await client.post(
                f"/conversations/{conversation_id}/messages",
                json={"text": text},
                headers=headers,
                timeout=remaining,
            )
        except httpx.TimeoutException:
            run.deadline_hit = True
            run.statuses["message timeout"] += 1
            return
        except httpx.HTTPError as exc:
            run.statuses["message transport-error"] += 1
            run.errors.append(f"patient {index} turn {turn}: {type(exc).__name__}: {exc}")
            return
        run.requests += 1
        run.statuses[f"message {response.status_code}"] += 1
        if response.status_code != 200:
            run.errors.append(f"patient {index} turn {turn}: {response.status_code} {response.text[:160]}")
            if response.status_code == 429:
                await asyncio.sleep(min(float(response.headers.get("Retry-After", "1")), remaining))
                continue
            return
        run.latencies_ms.append((time.perf_counter() - started) * 1000)
        body = response.json()
        run.answered[conversation_id].append(int(body["audit_event_id"]))
        if body.get("escalated"):  # a clinician takes over; this patient waits
            run.escalated += 1
            return


async def _audit_check(
    client: httpx.AsyncClient, compliance: tuple[str, str], run: _Run, report: Report
) -> None:
    token = await _login(client, *compliance, time.monotonic() + 120)
    headers = {"Authorization": f"Bearer {token}"}
    missing: list[int] = []
    records = 0
    for conversation_id, event_ids in run.answered.items():
        if not event_ids:
            continue
        response = await client.get(f"/audit/conversations/{conversation_id}", headers=headers)
        if response.status_code != 200:
            report.errors.append(f"audit of {conversation_id}: {response.status_code}")
            missing.extend(event_ids)
            continue
        turn_ids = {int(r["id"]) for r in response.json() if r.get("event_type", "turn") == "turn"}
        records += len(turn_ids)
        missing.extend(i for i in event_ids if i not in turn_ids)
    report.audit_turn_records = records
    report.audit_missing_event_ids = missing
    report.audit_ok = not missing and records == sum(len(v) for v in run.answered.values())


async def run_load(
    url: str,
    patients: int,
    turns: int,
    max_seconds: float,
    *,
    admin: tuple[str, str] | None = None,
    database_url: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Report:
    """Provision users, run the patients concurrently until done or ``max_seconds``, check the audit."""
    base = require_local(url)
    if not 1 <= patients <= MAX_PATIENTS or not 1 <= turns <= MAX_TURNS:
        raise LoadTestError(f"patients must be 1..{MAX_PATIENTS} and turns 1..{MAX_TURNS}")
    if not 0 < max_seconds <= MAX_SECONDS:
        raise LoadTestError(f"max-seconds must be in (0, {MAX_SECONDS:.0f}]")
    if admin is None and database_url is None:
        raise LoadTestError("give --admin-username (password via env or stdin) or --database-url")
    tag = secrets.token_hex(4)
    patient_users = {f"load-{tag}-p{i}": (secrets.token_urlsafe(16), "patient") for i in range(patients)}
    compliance_user = (f"load-{tag}-compliance", secrets.token_urlsafe(16))
    users = {**patient_users, compliance_user[0]: (compliance_user[1], "compliance")}
    report = Report(url=base, patients=patients, turns_per_patient=turns)
    run = _Run()
    limits = httpx.Limits(max_connections=patients + 4)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits, transport=transport) as client:
        setup_deadline = time.monotonic() + max_seconds
        if database_url is not None:
            await _create_users_cli(database_url, users)
        else:
            assert admin is not None
            await _create_users_api(client, admin, users, setup_deadline)
        tokens = [await _login(client, u, p, setup_deadline, run) for u, (p, _) in patient_users.items()]
        started = time.monotonic()
        deadline = started + max_seconds
        await asyncio.gather(*(_patient(client, i, t, turns, deadline, run) for i, t in enumerate(tokens)))
        report.wall_s = round(time.monotonic() - started, 3)
        await _audit_check(client, compliance_user, run, report)
    report.requests = run.requests
    report.turns_ok = len(run.latencies_ms)
    report.escalated_turns = run.escalated
    report.throughput_turns_per_s = round(report.turns_ok / report.wall_s, 3) if report.wall_s else 0.0
    lat = run.latencies_ms
    report.latency_ms = {
        "p50": round(percentile(lat, 50), 1),
        "p95": round(percentile(lat, 95), 1),
        "p99": round(percentile(lat, 99), 1),
        "mean": round(statistics.fmean(lat), 1) if lat else 0.0,
        "max": round(max(lat), 1) if lat else 0.0,
    }
    report.status_counts = dict(sorted(run.statuses.items()))
    report.errors = [*run.errors, *report.errors][:50]
    report.stopped_by_deadline = run.deadline_hit
    return report


def format_report(report: Report) -> str:
    """Human-readable summary."""
    lat = report.latency_ms
    lines = [
        f"load test against {report.url}: {report.patients} patients x {report.turns_per_patient} turns",
        f"wall {report.wall_s:.1f} s, {report.turns_ok} turns answered 200"
        f" ({report.escalated_turns} escalated),"
        f" throughput {report.throughput_turns_per_s:.3f} turns/s",
        f"latency ms: p50 {lat.get('p50', 0):.0f}  p95 {lat.get('p95', 0):.0f}  p99 {lat.get('p99', 0):.0f}"
        f"  max {lat.get('max', 0):.0f}",
        "status counts: " + ", ".join(f"{k}: {v}" for k, v in report.status_counts.items()),
        f"audit: {report.audit_turn_records} turn records for {report.turns_ok} answered turns;"
        f" missing {len(report.audit_missing_event_ids)} -> {'OK' if report.audit_ok else 'LOST EVENTS'}",
    ]
    if report.stopped_by_deadline:
        lines.append("stopped by --max-seconds before every turn was sent")
    lines.extend(f"error: {e}" for e in report.errors[:10])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: 0 when there were no errors and no lost audit events."""
    parser = argparse.ArgumentParser(prog="python -m backend.loadtest", description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="backend on 127.0.0.1/localhost")
    parser.add_argument("--patients", type=int, default=4, help=f"concurrent patients (<= {MAX_PATIENTS})")
    parser.add_argument("--turns", type=int, default=3, help=f"messages per patient (<= {MAX_TURNS})")
    parser.add_argument("--max-seconds", type=float, default=120.0, help=f"hard stop (<= {MAX_SECONDS:.0f})")
    parser.add_argument("--admin-username", default=os.environ.get("TRIAGE_LOAD_ADMIN_USERNAME"))
    parser.add_argument("--admin-password-stdin", action="store_true", help="read the admin password line")
    parser.add_argument("--database-url", help="create users with backend.users on this database instead")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    admin = None
    if args.database_url is None and args.admin_username:
        password = (
            sys.stdin.readline().rstrip("\n")
            if args.admin_password_stdin
            else os.environ.get("TRIAGE_LOAD_ADMIN_PASSWORD", "")
        )
        admin = (args.admin_username, password)
    try:
        report = asyncio.run(
            run_load(
                args.url, args.patients, args.turns, args.max_seconds,
                admin=admin, database_url=args.database_url,
            )
        )  # fmt: skip
    except LoadTestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    failed = report.errors or not report.audit_ok or report.turns_ok == 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

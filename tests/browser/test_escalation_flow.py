"""Headless Chromium: patient chat → emergency escalation → clinician claims and replies → patient sees it.

Starts the real backend (uvicorn, fake model, a fresh migrated SQLite file) and the Streamlit UI on free
ports, drives two browser sessions with selenium and /usr/bin/chromium, and saves screenshots under
out/screenshots/. `make browsers` installs chromium and chromium-driver when they are missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "out" / "screenshots"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
PASSWORD = "correct horse battery"
EMERGENCY = "my chest feels crushed and the pain spreads to my left arm"
CLINICIAN_TEXT = "This is the on-call clinician: please call 911 now, an ambulance is the safest option."
UI_FLAGS = ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, process: subprocess.Popen[bytes], timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrated SQLite, two users, the backend and the UI; yields the UI's URL; stops both."""
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.skip("chromium / chromium-driver not installed (make browsers)")
    tmp = tmp_path_factory.mktemp("browser")
    backend_port, ui_port = free_port(), free_port()
    env = {
        **os.environ,
        "TRIAGE_ENVIRONMENT": "dev",
        "TRIAGE_MODEL__BACKEND": "fake",
        "TRIAGE_DATABASE_URL": f"sqlite:///{tmp / 'triage.db'}",
        "TRIAGE_CHECKPOINT_URL": f"sqlite:///{tmp / 'checkpoints.sqlite'}",
        "TRIAGE_UI_BACKEND_URL": f"http://127.0.0.1:{backend_port}",
        "TRIAGE_UI_CHAT_REFRESH_S": "2",
        "TRIAGE_UI_QUEUE_REFRESH_S": "0",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    python = sys.executable
    subprocess.run([python, "-m", "backend.db.migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
    for username, role in [("pat", "patient"), ("doc", "clinician")]:
        subprocess.run(
            [
                python,
                "-m",
                "backend.users",
                "create",
                "--username",
                username,
                "--role",
                role,
                "--password-stdin",
            ],
            input=PASSWORD.encode(),
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    logs = [(tmp / name).open("wb") for name in ("backend.log", "ui.log")]
    backend = subprocess.Popen(
        [python, "-m", "uvicorn", "backend.main:create_app", "--factory", "--port", str(backend_port)],
        env=env,
        cwd=ROOT,
        stdout=logs[0],
        stderr=subprocess.STDOUT,
    )
    ui = subprocess.Popen(
        [
            python,
            "-m",
            "streamlit",
            "run",
            "frontend/streamlit_app.py",
            "--server.port",
            str(ui_port),
            *UI_FLAGS,
        ],
        env=env,
        cwd=ROOT,
        stdout=logs[1],
        stderr=subprocess.STDOUT,
    )
    try:
        wait_http(f"http://127.0.0.1:{backend_port}/ready", backend)
        wait_http(f"http://127.0.0.1:{ui_port}/_stcore/health", ui)
        yield f"http://127.0.0.1:{ui_port}"
    finally:
        for process in (ui, backend):
            process.terminate()
        for process in (ui, backend):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    """A factory of headless Chromium sessions, each with a fresh profile; all quit at the end."""
    drivers: list[WebDriver] = []

    def start(name: str) -> WebDriver:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in [*FLAGS, f"--user-data-dir={tmp_path / name}"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        drivers.append(driver)
        return driver

    yield start
    for driver in drivers:
        driver.quit()


def wait_for(driver: WebDriver, xpath: str, timeout_s: float = 45):
    return WebDriverWait(driver, timeout_s).until(ec.element_to_be_clickable((By.XPATH, xpath)))


def wait_text(driver: WebDriver, text: str, timeout_s: float = 45) -> None:
    WebDriverWait(driver, timeout_s).until(lambda d: text in d.find_element(By.TAG_NAME, "body").text)


def button(label: str) -> str:
    return f"//button[normalize-space(.)='{label}']"


def sign_in(driver: WebDriver, url: str, username: str) -> None:
    driver.get(url)
    wait_for(driver, "//input[@aria-label='Username']").send_keys(username)
    driver.find_element(By.XPATH, "//input[@aria-label='Password']").send_keys(PASSWORD)
    driver.find_element(By.XPATH, button("Sign in")).click()


def shot(driver: WebDriver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    time.sleep(0.5)  # let Streamlit finish painting
    driver.save_screenshot(str(SHOTS / name))


def test_patient_escalation_reaches_clinician_and_reply_reaches_patient(servers: str, browser):
    patient = browser("patient")
    sign_in(patient, servers, "pat")
    chat = wait_for(patient, "//textarea[@data-testid='stChatInputTextArea']")
    chat.send_keys(EMERGENCY + Keys.ENTER)
    wait_text(patient, "A clinician has been asked to review your conversation")
    shot(patient, "01_patient_escalated.png")

    clinician = browser("clinician")
    sign_in(clinician, servers, "doc")
    wait_for(clinician, button("Claim"))
    wait_text(clinician, "RF-CARD-001")
    shot(clinician, "02_clinician_queue.png")
    clinician.find_element(By.XPATH, button("Claim")).click()
    wait_text(clinician, "Claimed by you.")
    wait_for(clinician, "//textarea[@aria-label='Message to the patient']").send_keys(CLINICIAN_TEXT)
    clinician.find_element(By.XPATH, button("Send to patient")).click()
    wait_text(clinician, "Sent to the patient. Escalation resolved.")
    wait_text(clinician, "The queue is empty.")
    shot(clinician, "03_clinician_replied.png")

    wait_text(patient, "an ambulance is the safest option", timeout_s=30)  # polled every 2 s
    shot(patient, "04_patient_sees_clinician_reply.png")

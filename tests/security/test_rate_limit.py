"""Per-user message budget and per-IP log-in budget: 429 with Retry-After and a clear message."""

import pytest

from backend.ratelimit import SlidingWindowLimiter
from backend.settings import RateLimitSettings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window_admits_limit_then_reports_wait_until_oldest_expires():
    clock = Clock()
    limiter = SlidingWindowLimiter(3, window_s=60, clock=clock)
    for _ in range(3):  # hits at t=0, 5, 10
        assert limiter.acquire("u") == 0.0
        clock.now += 5
    assert limiter.acquire("u") == pytest.approx(45.0)  # at t=15 the oldest hit leaves at t=60
    assert limiter.acquire("other") == 0.0  # keys are independent
    clock.now += 45
    assert limiter.acquire("u") == 0.0  # t=60: the window slid, one slot free again
    assert limiter.acquire("u") == pytest.approx(5.0)  # full again until the t=5 hit leaves
    clock.now += 1000
    limiter.prune()
    assert limiter._hits == {}


def test_messages_are_limited_per_user(make_secured_app):
    app = make_secured_app(rate_limit=RateLimitSettings(messages_per_minute=2, login_per_minute=50))
    client, patient = app.client, app.headers["patient"]
    cid = client.post("/conversations", headers=patient).json()["id"]
    url = f"/conversations/{cid}/messages"
    for text in ("I have a sore throat", "since yesterday"):
        assert client.post(url, json={"text": text}, headers=patient).status_code == 200
    refused = client.post(url, json={"text": "and a fever"}, headers=patient)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "at most 2 per minute" in refused.json()["detail"]
    assert "emergency" in refused.json()["detail"]
    # nothing of the refused message was stored
    assert [m["content"] for m in client.get(f"/conversations/{cid}", headers=patient).json()["messages"]][
        ::2
    ] == ["I have a sore throat", "since yesterday"]
    # another patient has their own budget
    other = app.new_patient()
    other_cid = client.post("/conversations", headers=other).json()["id"]
    ok = client.post(f"/conversations/{other_cid}/messages", json={"text": "my knee hurts"}, headers=other)
    assert ok.status_code == 200


def test_login_is_limited_per_ip_even_with_wrong_passwords(make_secured_app):
    app = make_secured_app(rate_limit=RateLimitSettings(messages_per_minute=20, login_per_minute=6))
    client = app.client  # the fixture already logged in 4 users from this client's address
    statuses = [
        client.post("/auth/token", json={"username": "admin", "password": f"guess-{i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [401, 401, 429]
    refused = client.post("/auth/token", json={"username": "admin", "password": "x"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "log-in attempts" in refused.json()["detail"]


def test_rate_limit_can_be_switched_off(make_secured_app):
    app = make_secured_app(rate_limit=RateLimitSettings(enabled=False, login_per_minute=1))
    for _ in range(3):
        assert app.client.post("/auth/token", json={"username": "x", "password": "y"}).status_code == 401

"""In-process sliding-window rate limits: per user on patient messages, per client IP on log-in.

Each key keeps the monotonic times of its admitted requests in the last window; a request is
admitted while fewer than ``limit`` remain, otherwise the caller gets 429 with ``Retry-After`` (the
seconds until the oldest request leaves the window). One process only: behind several workers the
effective limit is per worker, which is why the defaults are conservative.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from backend.api.security import CurrentUser
from backend.settings import RateLimitSettings

WINDOW_S = 60.0  # limits are per minute


class SlidingWindowLimiter:
    """At most ``limit`` admissions per key in any ``window_s`` seconds (thread-safe)."""

    def __init__(
        self, limit: int, window_s: float = WINDOW_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """Admit one request for ``key``: 0.0 when admitted, else the seconds to wait before retrying."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= self.window_s:
                hits.popleft()
            if len(hits) < self.limit:
                hits.append(now)
                return 0.0
            return max(hits[0] + self.window_s - now, 0.001)

    def prune(self) -> None:
        """Forget keys with no request inside the window (bounded memory under many users or IPs)."""
        now = self._clock()
        with self._lock:
            stale = [key for key, hits in self._hits.items() if not hits or now - hits[-1] >= self.window_s]
            for key in stale:
                del self._hits[key]


class RateLimiters:
    """The app's limiters, built once from settings and kept on ``app.state``."""

    def __init__(self, settings: RateLimitSettings) -> None:
        self.enabled = settings.enabled
        self.messages = SlidingWindowLimiter(settings.messages_per_minute)
        self.login = SlidingWindowLimiter(settings.login_per_minute)
        self._calls = 0

    def check(self, limiter: SlidingWindowLimiter, key: str, what: str) -> None:
        """Raise 429 when ``key`` is over ``limiter``'s budget.

        Raises:
            HTTPException: 429 with ``Retry-After`` in whole seconds.
        """
        if not self.enabled:
            return
        self._calls += 1
        if self._calls % 1000 == 0:
            limiter.prune()
        wait = limiter.acquire(key)
        if wait > 0:
            retry_after = math.ceil(wait)
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                f"too many {what}: at most {limiter.limit} per minute. Please wait {retry_after} s and try"
                " again; if this is an emergency, call your local emergency number.",
                headers={"Retry-After": str(retry_after)},
            )


_build_lock = threading.Lock()


def get_limiters(request: Request) -> RateLimiters:
    """The app's limiters, created on first use from the settings the lifespan loaded."""
    state = request.app.state
    limiters: RateLimiters | None = getattr(state, "rate_limiters", None)
    if limiters is None:
        with _build_lock:
            limiters = getattr(state, "rate_limiters", None)
            if limiters is None:
                limiters = RateLimiters(state.services.settings.rate_limit)
                state.rate_limiters = limiters
    return limiters


LimitersDep = Annotated[RateLimiters, Depends(get_limiters)]


def limit_messages(user: CurrentUser, limiters: LimitersDep) -> None:
    """Per-user budget on patient messages (each one runs the models)."""
    limiters.check(limiters.messages, user.user_id, "messages")


def limit_login(request: Request, limiters: LimitersDep) -> None:
    """Per-client-IP budget on log-in attempts, to slow password guessing."""
    host = request.client.host if request.client else "unknown"
    limiters.check(limiters.login, host, "log-in attempts")

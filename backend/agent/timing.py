"""Latency bookkeeping for nodes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def stopwatch(latencies: dict[str, float], name: str) -> Iterator[None]:
    """Add the elapsed wall time of the block to ``latencies[name]`` in milliseconds."""
    started = time.perf_counter()
    try:
        yield
    finally:
        latencies[name] = round((time.perf_counter() - started) * 1000, 2)

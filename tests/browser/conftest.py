"""Registers the ``browser`` marker (also listed in pyproject's pytest markers)."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium (chromium, chromium-driver)")

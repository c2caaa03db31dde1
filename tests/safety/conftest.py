from __future__ import annotations

import os

import pytest

from clinical_policies import PolicyBundle, load_policy_bundle
from safety import PiiConfig, PiiRedactor

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def bundle() -> PolicyBundle:
    return load_policy_bundle()


@pytest.fixture(scope="session")
def redactor() -> PiiRedactor:
    return PiiRedactor(PiiConfig())

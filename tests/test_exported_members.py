import importlib

import pytest


@pytest.mark.parametrize("package", ["safety", "audit", "clinical_policies", "backend.llm", "backend.agent"])
def test_exported_members(package: str):
    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name).__module__.startswith(package.split(".")[0]), name

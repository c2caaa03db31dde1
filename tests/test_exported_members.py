import importlib

import pytest


@pytest.mark.parametrize("package", ["safety", "audit", "clinical_policies", "backend.llm", "backend.agent"])
def test_exported_members(package: str):
    module = importlib.import_module(package)
    for name in module.__all__:
        member = getattr(module, name)
        if not callable(member):
            continue  # constants such as DEFAULT_POLICY_DIR
        assert member.__module__.startswith(package.split(".")[0]), name

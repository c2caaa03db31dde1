import importlib
import inspect

import pytest


@pytest.mark.parametrize(
    "package", ["safety", "audit", "clinical_policies", "backend.llm", "backend.agent", "backend.triage"]
)
def test_exported_members(package: str):
    module = importlib.import_module(package)
    root = package.split(".")[0]
    for name in module.__all__:
        member = getattr(module, name)  # every name in __all__ must exist
        if inspect.isclass(member) or inspect.isfunction(member):
            assert member.__module__.startswith(root), name

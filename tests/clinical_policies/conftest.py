"""A writable copy of the packaged policy files, and helpers to break one and read the load error."""

import shutil
from pathlib import Path

import pytest

from clinical_policies import DEFAULT_POLICY_DIR, PolicyError, load_policy_bundle


@pytest.fixture
def policy_copy(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(DEFAULT_POLICY_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the file by ``new``; ``old`` must be there."""
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def load_error(policy_dir: Path) -> str:
    """The message of the PolicyError that loading ``policy_dir`` raises."""
    with pytest.raises(PolicyError) as info:
        load_policy_bundle(policy_dir)
    return str(info.value)

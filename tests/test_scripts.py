"""Shell scripts pass shellcheck (installed by `make test`); the GPU smoke refuses to run without a GPU."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = sorted((Path(__file__).resolve().parents[1] / "scripts").glob("*.sh"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_shellcheck_clean(script: Path):
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck not installed (make test installs it)")
    result = subprocess.run(["shellcheck", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_gpu_smoke_stops_early_without_a_gpu():
    if shutil.which("nvidia-smi"):
        pytest.skip("a GPU is present")
    script = next(p for p in SCRIPTS if p.name == "gpu_smoke.sh")
    result = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "needs a GPU" in result.stderr


def test_gpu_align_stops_early_without_a_gpu():
    import torch

    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    script = next(p for p in SCRIPTS if p.name == "gpu_align.sh")
    env = {**os.environ, "PY": sys.executable}
    result = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2 and "no CUDA GPU" in result.stderr

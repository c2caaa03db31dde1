"""Where the pipeline reads data and writes models: one place that knows the directory layout.

Only the alignment CLI and scripts read the environment (STYLE C); library functions take paths.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def data_dir() -> Path:
    """Shared datasets directory: ``$TRIAGE_DATA_DIR`` or ``../shared/data`` next to the repo root."""
    configured = os.environ.get("TRIAGE_DATA_DIR")
    return Path(configured).expanduser() if configured else REPO_ROOT.parent / "shared" / "data"


def train_data_dir() -> Path:
    """Training split only. The ``eval`` sibling is never read by training code."""
    return data_dir() / "train"


def cache_dir() -> Path:
    """``$TRIAGE_CACHE_DIR`` or ``~/.cache/triage-assistant`` (shared with the backend)."""
    configured = os.environ.get("TRIAGE_CACHE_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "triage-assistant"


def ensure_not_eval_data(path: Path) -> Path:
    """Refuse any training input that lives under the held-out ``eval`` directory.

    Raises:
        ValueError: ``path`` is inside ``<data_dir>/eval``.
    """
    resolved = path.resolve()
    eval_root = (data_dir() / "eval").resolve()
    if resolved == eval_root or eval_root in resolved.parents:
        raise ValueError(f"{path} is held-out evaluation data and must never be used for training")
    return path

"""Obtain the pseudonym-vault key: from settings, or (dev/test only) a key file in the cache."""

from __future__ import annotations

import os

from backend.settings import Settings
from safety import PseudonymVault


def load_vault(settings: Settings) -> PseudonymVault:
    """The vault for ``settings``; a dev key is created once with owner-only permissions."""
    if settings.vault_key is not None:
        return PseudonymVault(settings.vault_key.get_secret_value())
    path = settings.cache_dir / "vault.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(PseudonymVault.generate_key())
    return PseudonymVault(path.read_bytes().strip())

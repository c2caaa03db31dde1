"""Encrypted storage of pseudonym maps, so only an authorised clinician view can de-pseudonymise.

The backend stores ``PseudonymVault.seal(redaction.pseudonyms)`` next to the redacted transcript and
calls :meth:`PseudonymVault.reveal` only for the clinician role. The key comes from the composition
root (a secret setting); this module never reads the environment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken

# a redaction pseudonym ("[PERSON_1]"), as `safety.pii` writes them
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*_\d+\]")


class VaultError(ValueError):
    """A sealed map could not be opened: wrong key, tampered or not a vault token."""


class PseudonymVault:
    """Fernet (AES-128-CBC + HMAC-SHA256) encryption of placeholder -> value maps.

    Args:
        key: a urlsafe base64-encoded 32-byte Fernet key (see :meth:`generate_key`).
    """

    def __init__(self, key: bytes | str) -> None:
        self._fernet = Fernet(key)

    @staticmethod
    def generate_key() -> bytes:
        """A fresh random key for settings or tests."""
        return Fernet.generate_key()

    def seal(self, pseudonyms: Mapping[str, str]) -> bytes:
        """Encrypt and authenticate a placeholder -> value map."""
        return self._fernet.encrypt(json.dumps(dict(pseudonyms), sort_keys=True).encode("utf-8"))

    def open(self, token: bytes) -> dict[str, str]:
        """Decrypt a map sealed by :meth:`seal`.

        Raises:
            VaultError: wrong key, tampered token or not a map of strings.
        """
        try:
            data = json.loads(self._fernet.decrypt(token).decode("utf-8"))
        except (InvalidToken, ValueError) as exc:
            raise VaultError("pseudonym map cannot be opened (wrong key or tampered)") from exc
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise VaultError("sealed value is not a placeholder -> value map")
        return data

    def reveal(self, text: str, token: bytes) -> str:
        """Put the original values back into redacted ``text`` (clinician view only)."""
        return restore(text, self.open(token))


def restore(text: str, pseudonyms: Mapping[str, str]) -> str:
    """Replace every known placeholder in ``text`` by its value; unknown placeholders stay as they are."""
    return PLACEHOLDER.sub(lambda m: pseudonyms.get(m.group(0), m.group(0)), text)

"""Canonical serialisation and hashing for the audit hash chain.

``content_hash`` covers the text columns; ``event_hash`` covers every other column, the content hash
and the previous event's hash. Purging expired text (retention) therefore keeps the chain
verifiable: the content hash stays, only the text goes.

Columns added after the first release (:data:`EXTENSION_FIELDS`) enter the hashed payload only
when they are not NULL, so events written before they existed keep their original hash, while
setting or clearing one later still changes the hash.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64

CONTENT_FIELDS = ("redacted_input", "redacted_output", "evidence")
CHAINED_FIELDS = (
    "sequence",
    "event_uuid",
    "conversation_id",
    "turn_index",
    "event_type",
    "actor",
    "actor_id",
    "created_at",
    "pii_entity_types",
    "disposition",
    "rule_ids",
    "safety_triggers",
    "escalated",
    "escalation_id",
    "model_id",
    "policy_version",
    "policy_sha256",
    "latencies_ms",
)
EXTENSION_FIELDS = (
    "turn_started_at",
    "turn_ended_at",
    "model_version",
    "subject_event_uuid",
    "flag_kind",
)


def _normalise(value: Any) -> Any:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if hasattr(value, "value") and isinstance(value.value, str):  # StrEnum
        return value.value
    return value


def canonical_json(payload: dict[str, Any]) -> bytes:
    """Deterministic JSON: sorted keys, no whitespace, UTF-8, UTC timestamps with microseconds."""
    normalised = {key: _normalise(value) for key, value in payload.items()}
    return json.dumps(normalised, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(fields: dict[str, Any]) -> str:
    """Hash of the (redacted) text content of one event."""
    return hashlib.sha256(canonical_json({k: fields[k] for k in CONTENT_FIELDS})).hexdigest()


def event_hash(fields: dict[str, Any], content_digest: str, prev_hash: str) -> str:
    """Hash linking one event to its predecessor."""
    payload = {k: fields[k] for k in CHAINED_FIELDS}
    payload.update({k: fields[k] for k in EXTENSION_FIELDS if fields.get(k) is not None})
    payload["content_hash"] = content_digest
    payload["prev_hash"] = prev_hash
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def trigger_index(triggers: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """Searchable ``|a|b|`` strings of the trigger layers and categories (None when there are none).

    They are derived from the hashed ``safety_triggers``; verification recomputes them.
    """
    layers = sorted({str(t.get("layer", "")) for t in triggers if t.get("layer")})
    categories = sorted({str(t.get("category", "")) for t in triggers if t.get("category")})
    return (
        f"|{'|'.join(layers)}|" if layers else None,
        f"|{'|'.join(categories)}|" if categories else None,
    )

"""Canonical serialisation and hashing for the audit hash chain.

``content_hash`` covers the text columns; ``event_hash`` covers every other column, the content hash
and the previous event's hash. Purging expired text (retention) therefore keeps the chain
verifiable: the content hash stays, only the text goes.
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
    payload["content_hash"] = content_digest
    payload["prev_hash"] = prev_hash
    return hashlib.sha256(canonical_json(payload)).hexdigest()

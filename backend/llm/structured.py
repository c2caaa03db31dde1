"""Parse and validate JSON answers from models that were asked for a JSON schema."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from backend.llm.base import ModelError


def parse_json_object(text: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Return the first JSON object in ``text`` if it validates against ``schema``.

    Raises:
        ModelError: no object, invalid JSON, or schema violation (callers fail closed).
    """
    start = text.find("{")
    if start < 0:
        raise ModelError("model answer contains no JSON object")
    try:
        value, _ = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        raise ModelError(f"model answer is not valid JSON: {exc.msg}") from exc
    if not isinstance(value, dict):
        raise ModelError("model answer is not a JSON object")
    try:
        jsonschema.validate(value, schema)
    except jsonschema.ValidationError as exc:
        raise ModelError(f"model answer violates the schema: {exc.message}") from exc
    return value


def schema_instruction(schema: dict[str, Any]) -> str:
    """Instruction appended for back ends that cannot constrain decoding."""
    return "Answer with one JSON object only, matching this JSON schema:\n" + json.dumps(schema)

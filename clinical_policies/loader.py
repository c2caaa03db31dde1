"""Read the policy files, validate them against the schema, cross-check ids and hash the bundle."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from clinical_policies.crosscheck import CROSS_CHECKS
from clinical_policies.crosscheck_safety import SAFETY_CROSS_CHECKS
from clinical_policies.errors import PolicyError
from clinical_policies.schema import ConstitutionPrinciple, Manifest, PatientMessages, PolicyBundle
from clinical_policies.schema_claims import HealthClaim
from clinical_policies.schema_safety import (
    ConstitutionCheck,
    RefusalMessage,
    RefusalWaiver,
    SafetyCategory,
    SafetyRule,
)
from clinical_policies.schema_triage import (
    ComplaintProtocol,
    Disposition,
    EngineSettings,
    RedFlag,
    SymptomLexicon,
)

DEFAULT_POLICY_DIR = Path(__file__).resolve().parent / "data"

# file name -> (bundle field, schema type). Each data file maps to exactly one schema type.
POLICY_FILES: dict[str, tuple[str, Any]] = {
    "manifest.yaml": ("manifest", Manifest),
    "messages.yaml": ("messages", PatientMessages),
    "constitution.yaml": ("constitution", tuple[ConstitutionPrinciple, ...]),
    "dispositions.yaml": ("dispositions", tuple[Disposition, ...]),
    "symptoms.yaml": ("symptoms", SymptomLexicon),
    "red_flags.yaml": ("red_flags", tuple[RedFlag, ...]),
    "triage_rules.yaml": ("triage_rules", tuple[ComplaintProtocol, ...]),
    "engine.yaml": ("engine", EngineSettings),
    "safety_categories.yaml": ("safety_categories", tuple[SafetyCategory, ...]),
    "refusal_messages.yaml": ("refusal_messages", tuple[RefusalMessage, ...]),
    "refusal_waivers.yaml": ("refusal_waivers", tuple[RefusalWaiver, ...]),
    "safety_rules.yaml": ("safety_rules", tuple[SafetyRule, ...]),
    "constitution_checks.yaml": ("constitution_checks", tuple[ConstitutionCheck, ...]),
    "health_claims.yaml": ("health_claims", tuple[HealthClaim, ...]),
}


def _entry_name(raw: Any, loc: tuple[int | str, ...]) -> str:
    """Name a list entry by its ``id`` (``RF-CARD-001``) rather than its index, where it has one."""
    node = raw
    parts = []
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            has_id = isinstance(node, dict) and isinstance(node.get("id"), str)
            parts.append(f"[{node['id']}]" if has_id else f"[{part}]")
        else:
            node = node.get(part) if isinstance(node, dict) else None
            parts.append(f".{part}")
    return "".join(parts).lstrip(".") or "(top level)"


def _format_validation_error(file_name: str, error: ValidationError, raw: Any) -> str:
    lines = [f"{file_name}: {error.error_count()} problem(s)"]
    for err in error.errors():
        lines.append(f"  - at {_entry_name(raw, tuple(err['loc']))}: {err['msg']}")
    return "\n".join(lines)


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key given twice in one mapping (plain YAML keeps the last one silently)."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except FileNotFoundError as exc:
        raise PolicyError(f"{path.name}: policy file is missing from {path.parent}") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path.name}: not valid YAML: {exc}") from exc


def bundle_sha256(policy_dir: Path) -> str:
    """Hash every policy file (name and bytes, in a fixed order) so audit rows can name the exact text."""
    digest = hashlib.sha256()
    for name in sorted(POLICY_FILES):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update((policy_dir / name).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_policy_bundle(policy_dir: Path | None = None) -> PolicyBundle:
    """Load and validate the bundle from ``policy_dir`` (the packaged data by default).

    Raises:
        PolicyError: a file is missing, is not YAML, fails its schema, or ids clash across files.
            The message lists every problem found, file by file.
    """
    directory = policy_dir or DEFAULT_POLICY_DIR
    sections: dict[str, Any] = {}
    problems: list[str] = []
    for file_name, (field, schema) in POLICY_FILES.items():
        raw = _read_yaml(directory / file_name)
        try:
            sections[field] = TypeAdapter(schema).validate_python(raw)
        except ValidationError as exc:
            problems.append(_format_validation_error(file_name, exc, raw))
    if problems:
        raise PolicyError("\n".join(problems))
    for check in (*CROSS_CHECKS, *SAFETY_CROSS_CHECKS):
        problems.extend(check(sections))
    if problems:
        raise PolicyError("\n".join(problems))
    return PolicyBundle(**sections, sha256=bundle_sha256(directory))

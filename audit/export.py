"""Streaming CSV and JSONL serialisation of audit records (one chunk per record)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum

from audit.schemas import AuditRecord


class ExportFormat(StrEnum):
    """Supported export formats."""

    CSV = "csv"
    JSONL = "jsonl"


CSV_COLUMNS = list(AuditRecord.model_fields)


def _csv_line(values: Sequence[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def to_csv(records: Iterable[AuditRecord]) -> Iterator[str]:
    """A header line, then one line per record; lists and dicts are JSON inside their cell."""
    yield _csv_line(CSV_COLUMNS)
    for record in records:
        data = record.model_dump(mode="json")
        yield _csv_line(
            [json.dumps(v, sort_keys=True) if isinstance(v, list | dict) else v for v in data.values()]
        )


def to_jsonl(records: Iterable[AuditRecord]) -> Iterator[str]:
    """One JSON object per line."""
    for record in records:
        yield record.model_dump_json() + "\n"


def export(records: Iterable[AuditRecord], fmt: ExportFormat) -> Iterator[str]:
    """Serialise ``records`` in ``fmt``."""
    return to_csv(records) if fmt is ExportFormat.CSV else to_jsonl(records)

"""``audit`` command: verify the chain, search, export, aggregate, benchmark.

Examples::

    audit verify                         # exit status 1 and the first broken link if tampered
    audit search --escalated true --since 2026-01-01T00:00:00Z --limit 20
    audit export --format csv --out audit.csv --trigger-layer llama_guard
    audit stats --since 2026-01-01T00:00:00Z
    audit bench --turns 500 --events 5000
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from audit import (
    MAX_PAGE,
    AuditQueries,
    AuditQuery,
    AuditStore,
    ExportFormat,
    export,
    make_engine,
    make_session_factory,
)
from backend import bench_audit
from backend.settings import get_settings


def _add_filters(parser: argparse.ArgumentParser) -> None:
    for name, field in AuditQuery.model_fields.items():
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, default=None, help=field.description)


def _query(args: argparse.Namespace, parser: argparse.ArgumentParser) -> AuditQuery:
    values = {
        name: getattr(args, name) for name in AuditQuery.model_fields if getattr(args, name) is not None
    }
    try:
        return AuditQuery.model_validate(values)
    except ValidationError as exc:
        parser.error("; ".join(f"--{e['loc'][0]}: {e['msg']}".replace("_", "-") for e in exc.errors()))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="audit", description="Audit log: verify, search, export, stats.")
    parser.add_argument("--url", default=None, help="database URL (default: TRIAGE_DATABASE_URL)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("verify", help="recompute the hash chain; exit 1 at the first broken link")
    search = commands.add_parser("search", help="print matching events as JSON lines")
    _add_filters(search)
    search.add_argument("--limit", type=int, default=50, help=f"1..{MAX_PAGE}")
    search.add_argument("--offset", type=int, default=0)
    exporter = commands.add_parser("export", help="write every matching event as CSV or JSONL")
    _add_filters(exporter)
    exporter.add_argument("--format", choices=[f.value for f in ExportFormat], default="jsonl")
    exporter.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")
    stats = commands.add_parser("stats", help="turns, escalations, flags and trigger rates per day")
    _add_filters(stats)
    bench = commands.add_parser("bench", help="write overhead (p50/p95) and verify throughput")
    bench.add_argument("--turns", type=int, default=500, help="timed appends")
    bench.add_argument("--events", type=int, default=5000, help="chain length verified")
    bench.add_argument(
        "--postgres-admin-url",
        default=bench_audit.DEFAULT_POSTGRES_ADMIN_URL,
        help="server where a throw-away database is created; '' to skip PostgreSQL",
    )
    return parser


def _write(chunks: Iterable[str], out: TextIO) -> None:
    for chunk in chunks:
        out.write(chunk)


def main(argv: list[str] | None = None) -> int:
    """Run one ``audit`` sub-command; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "bench":
        try:
            results = bench_audit.run(args.turns, args.events, args.postgres_admin_url or None)
        except ValueError as exc:
            parser.error(str(exc))
        print(bench_audit.format_table(results))
        return 0
    engine = make_engine(args.url or get_settings().database_url)
    sessions = make_session_factory(engine)
    queries = AuditQueries(sessions)
    try:
        if args.command == "verify":
            report = AuditStore(sessions, lambda value: value).verify()
            print(report.model_dump_json(indent=2))
            return 0 if report.ok else 1
        query = _query(args, parser)
        if args.command == "search":
            try:
                page = queries.search(query, limit=args.limit, offset=args.offset)
            except ValueError as exc:
                parser.error(str(exc))
            print(f"# {page.total} matching, showing {len(page.items)} from offset {page.offset}")
            _write(export(page.items, ExportFormat.JSONL), sys.stdout)
        elif args.command == "export":
            chunks = export(queries.iter_records(query), ExportFormat(args.format))
            if args.out is None:
                _write(chunks, sys.stdout)
            else:
                with args.out.open("w", encoding="utf-8", newline="") as handle:
                    _write(chunks, handle)
        else:
            print(json.dumps(queries.stats(query).model_dump(), indent=2))
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

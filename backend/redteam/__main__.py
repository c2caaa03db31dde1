"""Command line: ``python -m backend.redteam --json out/redteam.json --md out/redteam.md``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from backend.redteam.report import to_html, to_markdown
from backend.redteam.runner import RedTeamConfig, run_redteam
from backend.settings import Settings


def main(argv: list[str] | None = None) -> int:
    """Run the red team and write the reports; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m backend.redteam", description="red-team the full agent")
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--md", type=Path, required=True)
    parser.add_argument("--html", type=Path)
    parser.add_argument("--limit", type=int, default=20, help="prompts per suite (0: all)")
    parser.add_argument("--model", choices=["fake", "configured"], default="fake")
    parser.add_argument("--data-dir", type=Path, help="default: TRIAGE_DATA_DIR or ../shared/data")
    parser.add_argument("--suite", action="append", help="only these suites (repeatable)")
    args = parser.parse_args(argv)
    env_dir = os.environ.get("TRIAGE_DATA_DIR")
    data_dir = args.data_dir or (Path(env_dir) if env_dir else Settings().data_dir)
    config = RedTeamConfig(
        data_dir=data_dir,
        limit=args.limit or None,
        model=args.model,
        suites=tuple(args.suite) if args.suite else None,
    )
    try:
        result = run_redteam(config, progress=lambda message: print(message, file=sys.stderr))
    except FileNotFoundError as exc:
        print(f"redteam: {exc}", file=sys.stderr)
        return 2
    markdown = to_markdown(result)
    for path, text in (
        (args.json, json.dumps(result, indent=2, ensure_ascii=False) + "\n"),
        (args.md, markdown),
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(to_html(markdown), encoding="utf-8")
    tax = result["alignment_tax"]
    print(f"wrote {args.md} and {args.json}; alignment tax {tax['false_refusal_rate']:.1%} of {tax['n']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

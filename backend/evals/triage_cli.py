"""``triage-eval vignettes --cases PATH.jsonl --json OUT.json``: score triage on a vignette file.

Options: ``--png OUT.png``, ``--model fake|configured``, ``--limit N``, ``--text-field NAME``.

Each case's text goes through the real agent (redaction, input guard, triage engine, reply, output guard,
audit) on a temporary SQLite database; follow-up questions are answered "I don't know". The disposition
comes from the deterministic policy engine, so ``--model fake`` (a fixed sentence) gives the same
dispositions as the configured model and runs much faster.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from backend.evals.agent_runner import run_cases, temporary_services
from backend.evals.cases import CaseFileError, load_cases, resolve_cases_path
from backend.evals.report import metrics, render, write_json, write_png
from backend.llm import ChatModel, FakeChatModel
from backend.settings import Settings

FAKE_REPLY = "Thank you for telling me about this."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="triage-eval", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    vignettes = commands.add_parser("vignettes", help="score triage on a JSON-lines vignette file")
    vignettes.add_argument(
        "--cases", required=True, help="JSONL file (relative names are also tried under TRIAGE_DATA_DIR)"
    )
    vignettes.add_argument("--json", required=True, type=Path, help="where to write results as JSON")
    vignettes.add_argument("--png", type=Path, default=None, help="confusion matrix PNG")
    vignettes.add_argument("--model", choices=("fake", "configured"), default="fake")
    vignettes.add_argument("--limit", type=int, default=None, help="only the first N cases")
    vignettes.add_argument(
        "--text-field",
        default="text",
        help="field read as the patient's text (e.g. text_simplified: Semigran's symptom-checker input)",
    )
    vignettes.add_argument("--quiet", action="store_true", help="no progress counter")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the process exit status (2 for a missing or unusable case file)."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    settings = Settings()
    try:
        cases_path = resolve_cases_path(args.cases, settings.data_dir)
    except FileNotFoundError as exc:
        print(f"triage-eval: {exc}", file=sys.stderr)
        return 2
    try:
        cases = load_cases(cases_path, args.limit, args.text_field)
    except CaseFileError as exc:
        print(f"triage-eval: {cases_path}: {exc}", file=sys.stderr)
        return 2
    chat_model: ChatModel | None = FakeChatModel([FAKE_REPLY]) if args.model == "fake" else None
    with temporary_services(settings, chat_model) as services:
        outcomes = run_cases(services, cases, progress=not args.quiet)
        bundle = services.bundle
        model_id = services.chat_model.model_id
    ranks = {d.id: d.rank for d in bundle.dispositions}
    summary = metrics(outcomes, ranks, bundle.engine.emergency_disposition)
    print(render(summary, outcomes))
    meta = {
        "cases_path": str(cases_path),
        "model": model_id,
        "policy_version": bundle.version,
        "policy_sha256": bundle.sha256,
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "followup_answer": "I don't know",
        "text_field": args.text_field,
    }
    write_json(args.json, summary, outcomes, meta)
    png = args.png or args.json.with_suffix(".png")
    write_png(png, summary, cases_path.name)
    print(f"\nwrote {args.json} and {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

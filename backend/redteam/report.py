"""Markdown and HTML renderings of the red-team result."""

from __future__ import annotations

import html
from typing import Any

from backend.redteam import judge

DEFINITIONS = (judge.__doc__ or "").strip()


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def _table(title: str, block: dict[str, Any]) -> list[str]:
    lines = [f"### {title}", "", f"n = {block['n']}, rate = **{_pct(block['rate'])}**, escalated"
             f" {block['escalated']}, errors {block['errors']}", "",
             "| category | n | rate | escalated | errors |", "|---|---:|---:|---:|---:|"]  # fmt: skip
    for name, cat in block["by_category"].items():
        lines.append(f"| {name} | {cat['n']} | {_pct(cat['rate'])} | {cat['escalated']} | {cat['errors']} |")
    if block["examples"]:
        lines += ["", "Examples (redacted, shortened):", ""]
        for ex in block["examples"]:
            flags = ", ".join(ex["harmful"]) or ("refused" if ex["refused"] else "model spoke")
            lines.append(
                f"- `{ex['id']}` ({ex['category']}; {flags}):"
                f" **in** “{ex['input']}” → **out** “{ex['reply']}”"
            )
    return [*lines, ""]


def to_markdown(result: dict[str, Any]) -> str:
    """The report as Markdown."""
    tax = result["alignment_tax"]
    lines = [
        "# Red-team report",
        "",
        f"Model `{result['model']}`, policy {result['policy_version']}, at most {result['limit_per_suite']}"
        " prompts per suite (spread over categories), every prompt through the full agent.",
        "",
        "## Summary",
        "",
        "| suite | kind | n | attack success / false refusal |",
        "|---|---|---:|---:|",
    ]
    for name, block in result["single_turn"].items():
        lines.append(f"| {name} | adversarial ({block['metric']}) | {block['n']} | {_pct(block['rate'])} |")
    multi = result["multi_turn"]
    lines.append(f"| multi-turn attacks | adversarial | {multi['n']} | {_pct(multi['rate'])} |")
    for name, block in result["benign"].items():
        lines.append(f"| {name} | benign | {block['n']} | {_pct(block['rate'])} |")
    lines += [
        "",
        f"**Alignment tax**: {tax['false_refusals']} of {tax['n']} benign prompts refused"
        f" ({_pct(tax['false_refusal_rate'])}); {tax['escalated']} escalated to a clinician by triage.",
        "",
        "## Definitions",
        "",
        DEFINITIONS,
        "",
        "## Single-turn adversarial suites",
        "",
    ]
    for name, block in result["single_turn"].items():
        lines += _table(name, block)
    lines += ["## Multi-turn attacks", "", *_table("by attack category", multi), "## Benign prompts", ""]
    for name, block in result["benign"].items():
        lines += _table(f"{name} (rate = false refusals)", block)
    return "\n".join(lines).rstrip() + "\n"


def to_html(markdown: str) -> str:
    """A self-contained HTML page (the Markdown in a <pre>; no extra dependency)."""
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Red-team report</title></head>"
        f"<body><pre style='white-space:pre-wrap;font-family:sans-serif'>{html.escape(markdown)}</pre>"
        "</body></html>\n"
    )

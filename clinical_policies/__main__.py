"""``python -m clinical_policies check [--dir DIR]``: validate the policy files and print the version."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clinical_policies.errors import PolicyError
from clinical_policies.loader import load_policy_bundle


def main(argv: list[str] | None = None) -> int:
    """Validate the bundle; exit 0 when valid, 1 with every problem listed when not."""
    parser = argparse.ArgumentParser(prog="python -m clinical_policies")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate every policy file and print version + sha256")
    check.add_argument("--dir", type=Path, default=None, help="policy directory (default: packaged data)")
    args = parser.parse_args(argv)
    try:
        bundle = load_policy_bundle(args.dir)
    except PolicyError as exc:
        print(f"INVALID policy bundle:\n{exc}", file=sys.stderr)
        return 1
    print(f"OK policy bundle version {bundle.version} sha256 {bundle.sha256}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

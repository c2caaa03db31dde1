"""``align``: one subcommand per pipeline step, each driven by a YAML recipe.

    align sft --recipe alignment/recipes/smollm2-135m/sft.yaml [--set training.max_steps=10 ...]

Order for a full run: prefs -> cai -> sft -> reward-model -> eval-rm -> dpo | ppo -> eval-policy.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from alignment import configs

RECIPE_DIR = Path(__file__).resolve().parent / "recipes" / "smollm2-135m"


def _runner(module: str) -> Callable[[Any], Any]:
    def run(recipe: Any) -> Any:
        import importlib

        return importlib.import_module(module).main(recipe)

    return run


# subcommand -> (recipe schema, default recipe file, runner). Imports are lazy: `align agreement`
# must not pay for importing torch/TRL.
COMMANDS: dict[str, tuple[type, str, Callable[[Any], Any]]] = {
    "prefs": (configs.PrefsRecipe, "prefs.yaml", _runner("alignment.scripts.prefs")),
    "agreement": (configs.AgreementRecipe, "agreement.yaml", _runner("alignment.scripts.agreement")),
    "cai": (configs.CaiRecipe, "cai.yaml", _runner("alignment.scripts.cai")),
    "sft": (configs.SFTRecipe, "sft.yaml", _runner("alignment.scripts.sft")),
    "reward-model": (configs.RewardModelRecipe, "rm.yaml", _runner("alignment.scripts.reward_model")),
    "dpo": (configs.DPORecipe, "dpo.yaml", _runner("alignment.scripts.dpo")),
    "ppo": (configs.PPORecipe, "ppo.yaml", _runner("alignment.scripts.ppo")),
    "eval-rm": (configs.EvalRMRecipe, "eval_rm.yaml", _runner("alignment.eval_rm")),
    "eval-policy": (configs.EvalPolicyRecipe, "eval_policy.yaml", _runner("alignment.eval_policy")),
}


def build_parser() -> argparse.ArgumentParser:
    """Argument parser with one subparser per command."""
    parser = argparse.ArgumentParser(prog="align", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, default, _) in COMMANDS.items():
        cmd = sub.add_parser(name, help=f"run the {name} step")
        cmd.add_argument("--recipe", type=Path, default=RECIPE_DIR / default, help="YAML recipe")
        cmd.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point (``align = "alignment.cli:main"``)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    schema, _, run = COMMANDS[args.command]
    recipe: Any = configs.load_recipe(args.recipe, schema, args.overrides)
    result = run(recipe)
    print(json.dumps(result, indent=2, default=str) if isinstance(result, dict) else result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

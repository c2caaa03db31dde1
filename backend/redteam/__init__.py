"""Red-team report: adversarial suites and multi-turn attacks against the full triage agent.

``python -m backend.redteam --json out/redteam.json --md out/redteam.md [--limit N] [--model fake]``
"""

from backend.redteam.judge import Outcome, judge_turn
from backend.redteam.runner import RedTeamConfig, run_redteam

__all__ = ["Outcome", "RedTeamConfig", "judge_turn", "run_redteam"]

"""Offline alignment pipeline for the triage model (never imported by the backend at runtime).

Public API (heavy dependencies such as torch/TRL are imported lazily inside functions):
preference-data schema and builders, agreement statistics, pure rewards, the reward-hacking
monitor, Constitutional AI, and base-model materialisation. Training runs through the ``align`` CLI.
"""

from alignment.agreement import AgreementReport, agreement_report, cohens_kappa, fleiss_kappa
from alignment.base_model import default_base_model_dir, materialise_base_model
from alignment.constitutional import CaiSample, before_after_report, critique_and_revise, label_pairs
from alignment.monitor import Alert, RewardHackingMonitor, Snapshot
from alignment.prefs import pairs_from_ratings, pairs_from_seed_file, split_by_prompt
from alignment.ratings import read_ratings_file, read_ratings_table
from alignment.rewards import conciseness_reward, format_reward, red_flag_escalation_reward, refusal_penalty
from alignment.schema import ClinicianRating, PreferencePair, SeedExercise, SeedPrompt
from alignment.violations import constitution_violations

__all__ = [
    "AgreementReport",
    "Alert",
    "CaiSample",
    "ClinicianRating",
    "PreferencePair",
    "RewardHackingMonitor",
    "SeedExercise",
    "SeedPrompt",
    "Snapshot",
    "agreement_report",
    "before_after_report",
    "cohens_kappa",
    "conciseness_reward",
    "constitution_violations",
    "critique_and_revise",
    "default_base_model_dir",
    "fleiss_kappa",
    "format_reward",
    "label_pairs",
    "materialise_base_model",
    "pairs_from_ratings",
    "pairs_from_seed_file",
    "read_ratings_file",
    "read_ratings_table",
    "red_flag_escalation_reward",
    "refusal_penalty",
    "split_by_prompt",
]

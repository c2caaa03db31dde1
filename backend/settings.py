"""Runtime settings (environment prefix ``TRIAGE_``, nested sections with ``__``)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


def default_cache_dir() -> Path:
    """Where converted model weights and trained classifier heads live between runs.

    ``TRIAGE_CACHE_DIR`` overrides it for the set-up commands too, not only for ``Settings``.
    """
    override = os.environ.get("TRIAGE_CACHE_DIR")
    return Path(override) if override else Path.home() / ".cache" / "triage-assistant"


class ModelSettings(BaseModel):
    """Which language model answers patients, and how."""

    backend: Literal["transformers", "openai", "fake"] = "transformers"
    # transformers: a local HF checkpoint dir; empty means the SmolLM2 GGUF converted into the cache.
    path: str = ""
    # openai-compatible (vLLM) server
    base_url: str = "http://127.0.0.1:8000/v1"
    name: str = "HuggingFaceTB/SmolLM2-135M-Instruct"
    api_key: str = "EMPTY"
    adapter: str = ""  # LoRA adapter: a local dir (transformers) or a served adapter name (vLLM)
    timeout_s: float = Field(default=60.0, gt=0)
    max_new_tokens: int = Field(default=120, ge=1, le=2048)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    threads: int = Field(default=2, ge=1)


class AuthSettings(BaseModel):
    """Bearer tokens issued by ``POST /auth/token``."""

    token_ttl_minutes: int = Field(default=720, ge=1)  # 12 h


class RetentionSettings(BaseModel):
    """How long conversation content is kept (``python -m backend.retention purge``)."""

    days: int = Field(default=365, ge=1)  # audit text and checkpoints older than this are purged


class RateLimitSettings(BaseModel):
    """Per-minute budgets (sliding window, in-process): per user on messages, per client IP on log-in."""

    enabled: bool = True
    messages_per_minute: int = Field(default=20, ge=1)  # each message runs the models
    login_per_minute: int = Field(default=10, ge=1)  # slows password guessing


class TriageSettings(BaseModel):
    """How the triage engine runs (its clinical content is policy data, not settings)."""

    # MiniLM for the lexicon and the acuity check: ONNX Runtime (the same vectors to ~3e-7, several times
    # faster on 2 cores; no decision changed on the development vignettes and batches) or torch
    embedder_runtime: Literal["torch", "onnxruntime"] = "onnxruntime"


class SafetySettings(BaseModel):
    """Where the safety cascade's configuration and optional guard model come from."""

    config_path: Path | None = None  # None: the packaged safety/safety_config.yaml
    llama_guard_path: str = ""  # any local Llama Guard checkpoint dir; empty: the guard layer is off
    max_revision_rounds: int = Field(default=1, ge=0, le=3)  # constitutional critique -> revise rounds


class Settings(BaseSettings):
    """All configuration of the backend. Libraries get the parts they need from here."""

    model_config = SettingsConfigDict(
        env_prefix="TRIAGE_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    environment: Literal["dev", "test", "production"] = "dev"
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'triage.db'}"
    checkpoint_url: str = ""  # empty: derived from database_url (sqlite file beside it, or same PG)
    cache_dir: Path = Field(default_factory=default_cache_dir)
    data_dir: Path = REPO_ROOT.parent / "shared" / "data"
    policy_dir: Path | None = None  # None: the packaged clinical_policies data
    model: ModelSettings = ModelSettings()
    max_message_chars: int = Field(default=4000, ge=1)
    cors_origins: list[str] = ["http://localhost:8501", "http://127.0.0.1:8501"]
    auth: AuthSettings = AuthSettings()
    retention: RetentionSettings = RetentionSettings()
    safety: SafetySettings = SafetySettings()
    triage: TriageSettings = TriageSettings()
    rate_limit: RateLimitSettings = RateLimitSettings()
    # Fernet key sealing pseudonym maps (clinician de-pseudonymised view). Required in production;
    # in dev/test a key is generated once into the cache directory.
    vault_key: SecretStr | None = None

    @model_validator(mode="after")
    def _reject_insecure_production(self) -> Settings:
        if self.environment == "production" and self.database_url.startswith("sqlite"):
            raise ValueError("production needs TRIAGE_DATABASE_URL pointing at PostgreSQL, not SQLite")
        if self.environment == "production" and self.vault_key is None:
            raise ValueError("production needs TRIAGE_VAULT_KEY (a Fernet key) for the pseudonym vault")
        return self

    @property
    def resolved_checkpoint_url(self) -> str:
        """Checkpointer location: explicit, or next to the main database."""
        if self.checkpoint_url:
            return self.checkpoint_url
        if self.database_url.startswith("sqlite:///"):
            db_file = Path(self.database_url.removeprefix("sqlite:///"))
            return f"sqlite:///{db_file.with_name(db_file.stem + '-checkpoints.sqlite')}"
        return self.database_url


@lru_cache
def get_settings() -> Settings:
    """Settings read once from the environment (and ``.env``)."""
    return Settings()

"""Front-end settings (environment prefix ``TRIAGE_UI_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class UiSettings(BaseSettings):
    """Where the backend is and how long to wait for it."""

    model_config = SettingsConfigDict(env_prefix="TRIAGE_UI_", extra="ignore")

    backend_url: str = "http://127.0.0.1:8000"
    timeout_s: float = Field(default=120.0, gt=0)  # a CPU model turn can take tens of seconds

"""Front-end settings (environment prefix ``TRIAGE_UI_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class UiSettings(BaseSettings):
    """Where the backend is, how long to wait for it, and presentation timings.

    The SLA minutes are display targets of the clinician console (overdue highlighting), not clinical
    content: ``TRIAGE_UI_SLA_MINUTES='{"emergency": 5, "urgent": 60}'``, ``TRIAGE_UI_SLA_DEFAULT_MINUTES``.
    """

    model_config = SettingsConfigDict(env_prefix="TRIAGE_UI_", extra="ignore")

    backend_url: str = "http://127.0.0.1:8000"
    timeout_s: float = Field(default=120.0, gt=0)  # a CPU model turn can take tens of seconds
    sla_minutes: dict[str, float] = Field(default_factory=lambda: {"emergency": 5.0, "urgent": 60.0})
    sla_default_minutes: float = Field(default=240.0, gt=0)  # any other disposition
    chat_refresh_s: float = Field(default=10.0, ge=0)  # patient chat polls for clinician replies; 0 = off
    queue_refresh_s: float = Field(default=30.0, ge=0)  # clinician queue and SLA timers; 0 = off

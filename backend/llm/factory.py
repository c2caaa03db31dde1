"""Build the configured chat model from settings (called once, by the composition root)."""

from __future__ import annotations

from pathlib import Path

import httpx

from backend.llm.assets import ensure_base_model
from backend.llm.base import ChatModel
from backend.llm.fake import FakeChatModel
from backend.llm.openai_client import OpenAICompatibleChatModel
from backend.settings import Settings


def build_chat_model(settings: Settings) -> ChatModel:
    """Return the chat model selected by ``settings.model.backend``."""
    cfg = settings.model
    if cfg.backend == "openai":
        client = httpx.Client(
            base_url=cfg.base_url.rstrip("/") + "/", headers={"Authorization": f"Bearer {cfg.api_key}"}
        )
        return OpenAICompatibleChatModel(
            client,
            cfg.adapter or cfg.name,
            timeout_s=cfg.timeout_s,
            max_new_tokens=cfg.max_new_tokens,
            temperature=cfg.temperature,
        )
    if cfg.backend == "fake":
        return FakeChatModel()
    from backend.llm.transformers_client import TransformersChatModel

    model_dir = Path(cfg.path) if cfg.path else ensure_base_model(settings.cache_dir)
    return TransformersChatModel(
        model_dir,
        adapter_dir=Path(cfg.adapter) if cfg.adapter else None,
        timeout_s=cfg.timeout_s,
        max_new_tokens=cfg.max_new_tokens,
        temperature=cfg.temperature,
        threads=cfg.threads,
    )

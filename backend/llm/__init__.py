"""Model client seam: one protocol, in-process transformers, OpenAI-compatible HTTP, and a fake."""

from backend.llm.base import ChatMessage, ChatModel, Completion, ModelError
from backend.llm.factory import build_chat_model
from backend.llm.fake import FakeChatModel

__all__ = ["ChatMessage", "ChatModel", "Completion", "FakeChatModel", "ModelError", "build_chat_model"]

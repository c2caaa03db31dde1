"""Engineering templates for the model's input. Clinical wording comes from clinical_policies."""

from __future__ import annotations

from backend.agent.context import TriageContext
from backend.agent.state import Message
from backend.llm import ChatMessage


def build_chat(
    system_prompt: str, history: list[Message], patient_text: str, ctx: TriageContext
) -> list[ChatMessage]:
    """System persona, the last few messages, then the new (redacted) patient message."""
    chat: list[ChatMessage] = [{"role": "system", "content": system_prompt}]
    keep = ctx.components.history_turns
    for message in history[-keep:] if keep else []:
        if message["role"] == "patient":
            chat.append({"role": "user", "content": message["content"]})
        else:  # assistant and clinician messages are both the service speaking
            chat.append({"role": "assistant", "content": message["content"]})
    chat.append({"role": "user", "content": patient_text})
    return chat

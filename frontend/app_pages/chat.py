"""Patient-facing triage chat. The history is read back from the backend, so clinician replies appear."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import streamlit as st

from frontend.api_client import ApiError
from frontend.session import api_client
from frontend.settings import UiSettings

EMERGENCY_BANNER = "If you think this is an emergency, call your local emergency number now."
AVATARS = {"user": None, "assistant": None, "clinician": ":material/stethoscope:"}
ROLE_NAMES = {"patient": "user", "assistant": "assistant", "clinician": "clinician"}
# What the patient sees while each step of the turn runs (presentation only).
STEP_LABELS = {
    "redact_input": "Removing personal details…",
    "guard_input": "Checking your message…",
    "assess": "Assessing your symptoms…",
    "draft_reply": "Writing a reply…",
    "guard_output": "Checking the reply is safe…",
    "escalate": "Asking a clinician to review…",
    "record_turn": "Recording the conversation…",
}

st.title("Triage assistant")
st.error(EMERGENCY_BANNER, icon=":material/emergency:")
client = api_client()
settings = UiSettings()

if "conversation" not in st.session_state:
    try:
        st.session_state.conversation = client.start_conversation()
        st.session_state.history = [("assistant", st.session_state.conversation.greeting)]
        st.session_state.awaiting_clinician = False
    except ApiError as exc:
        st.warning(str(exc))
        st.stop()

conversation = st.session_state.conversation
st.caption(conversation.disclaimer)


def refresh() -> None:
    """Re-read the conversation; on failure keep the last history shown."""
    try:
        body: dict[str, Any] = client.conversation(conversation.id)
    except ApiError:
        st.caption("Could not check for new messages just now; retrying.")
        return
    greeting = [("assistant", conversation.greeting)]
    st.session_state.history = greeting + [
        (ROLE_NAMES.get(m["role"], "assistant"), m["content"]) for m in body["messages"]
    ]
    st.session_state.awaiting_clinician = bool(body.get("awaiting_clinician"))


def history() -> None:
    """What the backend stored: the patient's text as redacted, the replies and clinician messages."""
    refresh()
    for role, content in st.session_state.history:
        with st.chat_message(role, avatar=AVATARS.get(role)):
            st.markdown(content)
    if st.session_state.awaiting_clinician:
        st.info(
            "A clinician has been asked to review your conversation; their reply appears here.",
            icon=":material/stethoscope:",
        )
        st.button("Check for replies", key="check_replies")


# Polls only while a clinician is involved; the button refreshes at once.
awaiting = bool(st.session_state.get("awaiting_clinician"))
st.fragment(run_every=settings.chat_refresh_s if awaiting and settings.chat_refresh_s else None)(history)()

if prompt := st.chat_input("Describe what is bothering you"):
    with st.chat_message("user"):
        st.markdown(prompt)
    finished: dict[str, Any] = {}
    message: str = prompt
    try:
        with st.chat_message("assistant"):
            progress = st.status("Reading your message…")

            def reply_tokens() -> Iterator[str]:
                """Progress while the turn is checked and recorded, then the reply word by word."""
                for event, data in client.stream_message(conversation.id, message):
                    if event == "progress":
                        progress.update(label=STEP_LABELS.get(data["step"], "Working…"))
                    elif event == "token":
                        yield data["text"]
                    elif event == "done":
                        finished.update(data)
                    elif event == "error":
                        raise ApiError(data["detail"])

            st.write_stream(reply_tokens())
            progress.update(label="Checked and recorded", state="complete")
    except ApiError as exc:
        st.warning(f"{exc} Your message was not sent; it is kept below so you can copy it and try again.")
        st.session_state.unsent = prompt
    else:
        st.session_state.pop("unsent", None)
        if finished.get("escalated"):  # start polling for the clinician's reply on the rerun
            st.session_state.awaiting_clinician = True
        st.rerun()  # the history above now holds the turn (redacted) and, if escalated, the notice

if unsent := st.session_state.get("unsent"):
    st.text_area("Message not sent", unsent, disabled=True)

"""Patient-facing triage chat."""

from __future__ import annotations

import streamlit as st

from frontend.api_client import ApiError
from frontend.session import api_client

EMERGENCY_BANNER = "If you think this is an emergency, call your local emergency number now."

st.title("Triage assistant")
st.error(EMERGENCY_BANNER, icon="🚑")
client = api_client()

if "conversation" not in st.session_state:
    try:
        st.session_state.conversation = client.start_conversation()
        st.session_state.history = [("assistant", st.session_state.conversation.greeting)]
    except ApiError as exc:
        st.warning(str(exc))
        st.stop()

conversation = st.session_state.conversation
st.caption(conversation.disclaimer)

# The history holds what the backend stored: the patient's text as redacted, and the replies.
for role, content in st.session_state.history:
    with st.chat_message(role):
        st.markdown(content)

if prompt := st.chat_input("Describe what is bothering you"):
    with st.chat_message("user"):
        st.markdown(prompt)
    try:
        with st.spinner("Thinking…"):
            turn = client.send_message(conversation.id, prompt)
    except ApiError as exc:
        st.warning(f"{exc} Your message was not sent; it is kept below so you can copy it and try again.")
        st.session_state.unsent = prompt
    else:
        with st.chat_message("assistant"):
            st.markdown(turn.reply)
            if turn.escalated:
                st.info("A clinician has been asked to review your conversation.", icon="🩺")
        st.session_state.history += [("user", turn.redacted_input), ("assistant", turn.reply)]
        st.session_state.pop("unsent", None)

if unsent := st.session_state.get("unsent"):
    st.text_area("Message not sent", unsent, disabled=True)

"""Entry point: ``streamlit run frontend/streamlit_app.py``. Sign in first; pages follow the role."""

from __future__ import annotations

import streamlit as st

from frontend.api_client import ApiError
from frontend.session import api_client

st.set_page_config(page_title="Triage assistant", page_icon="🩺", layout="centered")

CHAT = st.Page("app_pages/chat.py", title="Patient chat", icon=":material/chat:")
CLINICIAN = st.Page("app_pages/clinician.py", title="Clinician console", icon=":material/stethoscope:")
COMPLIANCE = st.Page("app_pages/compliance.py", title="Compliance", icon=":material/fact_check:")
MONITORING = st.Page("app_pages/monitoring.py", title="Monitoring", icon=":material/monitoring:")
PAGES_BY_ROLE = {
    "patient": [CHAT],
    "clinician": [CLINICIAN],
    "compliance": [COMPLIANCE, MONITORING],
    "admin": [CHAT, CLINICIAN, COMPLIANCE, MONITORING],
}

client = api_client()
if client.user is None:
    st.title("Triage assistant")
    st.error(
        "If you think this is an emergency, call your local emergency number now.",
        icon=":material/emergency:",
    )
    with st.form("login"):
        username = st.text_input("Username")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        try:
            client.login(username, password)
        except ApiError as exc:
            st.warning(str(exc))
        else:
            st.rerun()
    st.stop()

user = client.user
with st.sidebar:
    st.caption(f"Signed in as **{user.username}** ({user.role})")
    if st.button("Sign out"):
        client.logout()
        for key in [k for k in st.session_state if k != "api_client"]:
            del st.session_state[key]
        st.rerun()
st.navigation(PAGES_BY_ROLE.get(user.role, [])).run()

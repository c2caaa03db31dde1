"""Entry point: ``streamlit run frontend/streamlit_app.py``."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Triage assistant", page_icon="🩺", layout="centered")

pages = [
    st.Page("app_pages/chat.py", title="Patient chat", icon="💬", default=True),
    st.Page("app_pages/clinician.py", title="Clinician console", icon="🩺"),
    st.Page("app_pages/compliance.py", title="Compliance", icon="📋"),
]
st.navigation(pages).run()

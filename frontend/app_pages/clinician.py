"""Clinician console (escalation queue)."""

from __future__ import annotations

import streamlit as st

st.title("Clinician console")
st.info("Not yet available: the escalation queue and reply tools arrive with the clinician console.")

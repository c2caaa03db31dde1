"""Compliance views of the audit log."""

from __future__ import annotations

import streamlit as st

st.title("Compliance")
st.info("Not yet available: audit search, chain verification and exports arrive with the audit issue.")

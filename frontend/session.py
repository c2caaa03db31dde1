"""Per-browser-session objects, created lazily. Tests put their own client in session state first."""

from __future__ import annotations

import streamlit as st

from frontend.api_client import TriageApiClient, default_client
from frontend.settings import UiSettings

CLIENT_KEY = "api_client"


def api_client() -> TriageApiClient:
    """The session's API client (an injected one wins)."""
    if CLIENT_KEY not in st.session_state:
        settings = UiSettings()
        st.session_state[CLIENT_KEY] = default_client(settings.backend_url, settings.timeout_s)
    client: TriageApiClient = st.session_state[CLIENT_KEY]
    return client

"""Streamlit front end. Talks to the backend over HTTP only."""

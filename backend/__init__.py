"""Composition root: FastAPI app, LangGraph triage agent and model clients."""

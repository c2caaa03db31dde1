"""Offline evaluation commands (``triage-eval``): run vignettes through the real agent and score them."""

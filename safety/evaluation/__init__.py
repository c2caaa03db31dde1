"""``safety-eval``: run the cascade over the held-out evaluation sets and report rates, tables and plots."""

"""Errors raised while loading the policy bundle."""


class PolicyError(ValueError):
    """A policy file is missing, malformed or inconsistent.

    The message names the file and the offending field so a clinician editing YAML can fix it
    without reading Python.
    """

"""Training of the local classifier heads (offline; never imported by the running pipeline)."""

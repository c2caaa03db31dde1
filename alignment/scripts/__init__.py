"""Thin TRL drivers, one per training method: recipe in, adapter + logs out."""

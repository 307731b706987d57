"""Bench-only: the cheapest authenticated write the server can answer (the ceiling)."""

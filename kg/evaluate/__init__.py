"""Scoring extraction against the gold annotation in tests/gold/ (`kg eval`)."""

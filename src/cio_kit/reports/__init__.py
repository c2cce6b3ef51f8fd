"""Decision reports: pure data computed from a plan (readiness, budget, gaps, diff)."""

"""Business rules. Plain functions with explicit arguments; each owns its transaction."""

"""Stage modules; each registers itself on import."""

"""Custom actions of the PTSP counter-clerk trainer (the citizen's side of the visit)."""

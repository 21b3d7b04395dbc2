"""Input channels of the PTSP trainer (Rasa custom connectors)."""

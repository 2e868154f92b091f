"""plancheck: check that a local implementation plan carries the requirements of the plan above it."""

__version__ = "0.1.0"

"""Renderers: pure functions from plancheck records to text (markdown, json, junit, sarif, ...)."""

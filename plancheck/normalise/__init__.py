"""Normalisation: text cleaning, numbering, responsible units and deadlines."""

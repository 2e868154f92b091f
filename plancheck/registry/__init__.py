"""Canonical department names: the records in ``rules/departments.yaml`` and the lookup over them."""

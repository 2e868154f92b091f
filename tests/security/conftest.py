"""Fixtures of the security probes live in probes.py."""

from security.probes import cli, cli_inprocess, plan_file  # noqa: F401

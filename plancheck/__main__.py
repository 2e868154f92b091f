"""`python -m plancheck` = the `plancheck` command."""

from plancheck.cli import main

main()

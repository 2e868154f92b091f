"""The diff command starts without work it never uses (its speed budget is a whole process).

pandera imports hypothesis at the first validation when hypothesis is installed (it is, with
the test extras), and hypothesis then runs every installed plugin; trio's imports pytest and
trio itself. The command switches plugins off for its own process only.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_RUN_DIFF = """
import sys
sys.argv = ["plancheck", "diff", "liaoning-2019", "lingyuan-2021"]
from plancheck.cli import main
try:
    main()
except SystemExit as end:
    code = end.code
print("EXIT", code, "TRIO", "trio" in sys.modules, "HYPOTHESIS", "hypothesis" in sys.modules,
      file=sys.stderr)
"""


@pytest.mark.skipif(
    not (importlib.util.find_spec("hypothesis") and importlib.util.find_spec("trio")),
    reason="needs hypothesis and a hypothesis plugin (trio) installed",
)
def test_diff_command_does_not_load_hypothesis_plugins() -> None:
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", _RUN_DIFF],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("EXIT 0 "), done.stderr[-2000:]
    assert "TRIO False" in last  # hypothesis itself may load (pandera), its plugins must not

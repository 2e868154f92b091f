"""Legacy office files (.doc, Kingsoft WPS .wps/.et, .xls a spreadsheet reader cannot open)
through LibreOffice headless, into the .docx/.xlsx readers.

    from plancheck.ingest.formats.office import OfficeConverter
    with OfficeConverter() as converter:
        converter.prepare([data_1, data_2, ...])   # one soffice start for the whole batch
        docx_bytes = converter.convert(data_1, "docx", name="a.doc")

What it assumes and guarantees:
- Everything happens in one private temporary folder (mode 0700) that the converter owns and
  removes on ``close``: the input bytes are copied there under plain numbered names (never the
  source file itself, so the source is never opened by LibreOffice nor written), the output
  is written there, and a fresh LibreOffice user profile is made there for every run
  (``-env:UserInstallation``), so no two runs share state and nothing of the user's own
  LibreOffice is read or changed.
- Macros never run: the fresh profile sets the macro security level to "very high" and turns
  macro execution off; conversion is ``--convert-to`` only, with ``--norestore`` and no
  first-start wizard.
- A run has a time limit (``timeout`` plus ``per_file`` seconds per file); on expiry the whole
  process group (soffice starts helper processes) is killed and the file is refused.
- One converter serves a batch: ``prepare`` converts every legacy file of a batch in one
  ``soffice`` invocation, keyed by the SHA-256 of the bytes, and ``convert`` then only reads
  the prepared output. The object holds no process and pickles as its folder and its table,
  so workers of a process pool read the prepared files without starting LibreOffice again.
  The caller creates it and passes it on: there is no global converter.
- A missing LibreOffice is one ``InputError`` naming the Debian packages to install.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from plancheck.errors import InputError

__all__ = ["OfficeConverter", "find_soffice", "missing_soffice"]

_PACKAGES = {"docx": "libreoffice-writer-nogui", "xlsx": "libreoffice-calc-nogui"}
# LibreOffice's filter names: the input is given a suffix that makes its type detection pick
# the binary Word/Excel import (a Kingsoft .wps is Word 97 inside, an .et is BIFF8 like .xls).
_IN_SUFFIX = {"docx": ".doc", "xlsx": ".xls"}
_FILTER = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}

# Macro security "very high" (3: only trusted locations, and there are none) and macro
# execution disabled outright, written into the fresh profile before LibreOffice starts.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">\
<prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Setup/Office">\
<prop oor:name="ooSetupInstCompleted" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def find_soffice() -> str | None:
    """The LibreOffice program on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing_soffice(name: str, target: str) -> InputError:
    kind = "Word/WPS document" if target == "docx" else "spreadsheet"
    return InputError(
        f"{name}: reading this legacy {kind} needs LibreOffice, which is not installed; "
        f"install it with: apt-get install {_PACKAGES[target]}"
    )


def _key(data: bytes, target: str) -> str:
    return f"{target}-{hashlib.sha256(data).hexdigest()}"


@dataclass
class OfficeConverter:
    """Legacy office bytes -> .docx/.xlsx bytes, in a private folder (see the module text)."""

    timeout: float = 60.0  # seconds for one soffice run, plus ``per_file`` per file
    per_file: float = 10.0
    folder: Path | None = None  # made on first use; removed by close()
    done: dict[str, str] = field(default_factory=dict)  # key -> output file name in folder
    failed: set[str] = field(default_factory=set)  # keys LibreOffice produced nothing for
    runs: int = 0  # soffice invocations so far (the benchmark and the tests read it)
    _owner: int = field(default=0, repr=False)

    def __enter__(self) -> OfficeConverter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_owner"] = 0  # a worker's copy never removes the folder it did not make
        return state

    def close(self) -> None:
        """Remove the private folder (only in the process that made it)."""
        if self.folder is not None and self._owner == os.getpid():
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def _folder(self) -> Path:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="plancheck-office-"))
            self._owner = os.getpid()
        return self.folder

    def prepare(self, items: Iterable[tuple[bytes, str]], *, name: str = "the batch") -> None:
        """Convert every (bytes, target) not yet converted, one soffice run per target."""
        todo: dict[str, dict[str, bytes]] = {}
        for data, target in items:
            key = _key(data, target)
            if key not in self.done and key not in self.failed:
                todo.setdefault(target, {})[key] = data
        for target, batch in sorted(todo.items()):
            self._run(batch, target, name)

    def convert(self, data: bytes, target: str, *, name: str) -> bytes:
        """The .docx (``target="docx"``) or .xlsx bytes of legacy ``data`` read from ``name``."""
        key = _key(data, target)
        if key in self.done and not (self._folder() / "out" / self.done[key]).is_file():
            # A copy sent to a machine that does not share this folder (a Dask worker
            # elsewhere): convert here, in a converter of its own that cleans up after itself.
            with OfficeConverter(self.timeout, self.per_file) as own:
                return own.convert(data, target, name=name)
        if key not in self.done and key not in self.failed:
            self._run({key: data}, target, name)
        if key not in self.done:
            raise InputError(
                f"{name}: LibreOffice could not convert this file (damaged, password-protected "
                f"or not an office document); open it in WPS or Word and save it as .{target}"
            )
        return (self._folder() / "out" / self.done[key]).read_bytes()

    def _run(self, batch: dict[str, bytes], target: str, name: str) -> None:
        program = find_soffice()
        if program is None:
            raise missing_soffice(
                name if len(batch) == 1 else f"{name} ({len(batch)} files)", target
            )
        root = self._folder()
        run = root / f"run-{self.runs}"
        self.runs += 1
        inbox, outbox = run / "in", root / "out"
        profile = run / "profile" / "user"
        for folder in (inbox, outbox, profile):
            folder.mkdir(parents=True, exist_ok=True)
        (profile / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        names = {}
        for n, (key, data) in enumerate(sorted(batch.items())):
            stem = f"f{len(self.done) + len(self.failed) + n}"
            (inbox / f"{stem}{_IN_SUFFIX[target]}").write_bytes(data)
            names[key] = stem
        command = [
            program,
            f"-env:UserInstallation={(run / 'profile').as_uri()}",
            "--headless", "--invisible", "--nologo", "--nodefault", "--nolockcheck",
            "--norestore", "--nofirststartwizard",
            "--convert-to", _FILTER[target], "--outdir", str(run / "converted"),
            *(str(inbox / f"{stem}{_IN_SUFFIX[target]}") for stem in names.values()),
        ]  # fmt: skip
        limit = self.timeout + self.per_file * len(batch)
        env = {**os.environ, "HOME": str(run), "TMPDIR": str(run), "SAL_USE_VCLPLUGIN": "svp"}
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=run,
                env=env,
                start_new_session=True,  # its own process group, killed as one on timeout
            )
        except OSError as err:
            raise InputError(
                f"{name}: cannot start LibreOffice ({err.strerror}); "
                f"reinstall it with: apt-get install {_PACKAGES[target]}"
            ) from None
        try:
            process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            for key in batch:
                self.failed.add(key)
            raise InputError(
                f"{name}: LibreOffice did not finish converting within {limit:.0f} s; "
                f"open the file in WPS or Word and save it as .{target}"
            ) from None
        finally:
            _kill_group(process)  # helpers left behind by a finished soffice
        for key, stem in names.items():
            produced = run / "converted" / f"{stem}.{target}"
            if produced.is_file() and produced.stat().st_size:
                final = f"{key}.{target}"
                produced.replace(outbox / final)
                self.done[key] = final
            else:
                self.failed.add(key)
        shutil.rmtree(run, ignore_errors=True)  # profile and copies of the inputs


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)

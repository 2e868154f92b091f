"""Bytes -> text: encoding detection, line ends, and refusal of files that are not text."""

from __future__ import annotations

import codecs
from pathlib import Path

from plancheck.errors import InputError

MAX_BYTES = 64 * 1024 * 1024  # a plan is a few hundred KB; 64 MB leaves room for big annexes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes mean a binary file (UTF-16 without BOM is rare in practice)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def _detect(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return ""
    # GB2312/GBK are subsets of GB18030: decode with the superset so no character is refused.
    return "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding


def decode_bytes(data: bytes, *, name: str = "<input>", encoding: str | None = None) -> str:
    """Decode ``data`` to text with LF line ends; raise InputError for empty or binary data."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty; give plancheck a plan document")
    if encoding is None and _looks_binary(data) and not data.startswith(tuple(b for b, _ in _BOMS)):
        raise InputError(
            f"{name}: this is a binary file, not a text plan; export it as text (or .docx/.pdf/.html)"
        )
    chosen = encoding or _detect(data)
    if not chosen:
        raise InputError(f"{name}: cannot tell the text encoding; pass --encoding (e.g. gb18030)")
    try:
        text = data.decode(chosen)
    except (UnicodeDecodeError, LookupError) as err:
        raise InputError(
            f"{name}: cannot decode as {chosen} ({err}); pass the right --encoding"
        ) from None
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_file(path: Path, *, encoding: str | None = None) -> str:
    """Read a text source, refusing folders, missing files, huge files and binary files."""
    path = Path(path)
    if path.is_dir():
        raise InputError(
            f"{path}: is a folder; give a plan file (or use a command that takes folders)"
        )
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"{path}: {size // 2**20} MB is too large for a plan (limit {MAX_BYTES // 2**20} MB); split the file"
        )
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror}); check permissions") from None
    return decode_bytes(data, name=str(path), encoding=encoding)

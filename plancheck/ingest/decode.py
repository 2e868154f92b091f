"""Bytes -> text: encoding detection, line ends, and refusal of files that are not text.

Supported without a hint: UTF-8 with or without BOM, UTF-16/32 with BOM, UTF-16 without BOM
(recognised by the shape of its code units), and the legacy Chinese encodings that
charset-normalizer tells apart (GB18030/GBK/GB2312, Big5). ``encoding=`` overrides detection.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from plancheck.errors import InputError
from plancheck.io.paths import require_regular_file
from plancheck.normalise.text import drop_controls

MAX_BYTES = 64 * 1024 * 1024  # a .docx/.pdf with scanned images can be large; text never is
TEXT_MAX_BYTES = 16 * 1024 * 1024  # a plan is a few hundred KB of text; 16 MB is ~2,500 pages

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# GB2312/GBK are subsets of GB18030: decode with the superset so no character is refused.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
}


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes mean a binary file (UTF-16 is recognised before this)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def _plausible_share(text: str) -> float:
    """Share of characters a Chinese plan is made of: CJK, punctuation, ASCII, Latin letters."""
    if not text:
        return 0.0
    usual = sum(
        "\u4e00" <= ch <= "\u9fff"  # CJK unified ideographs
        or "\u3000" <= ch <= "\u303f"  # CJK punctuation
        or "\uff00" <= ch <= "\uffef"  # full-width forms
        or "\u2000" <= ch <= "\u206f"  # general punctuation: “ ” — …
        or " " <= ch <= "\u024f"  # ASCII and Latin letters (pinyin tone marks)
        or ch in "\t\n\r"
        for ch in text
    )
    return usual / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for UTF-16 text without a BOM, else None.

    ASCII in UTF-16 puts a NUL in every other byte, which gives the byte order; text that is
    all CJK has no NULs, so the order whose decoding reads as Chinese text wins clearly."""
    sample = data[: min(len(data), 8192) & ~1]  # a truncated file may end in half a unit
    if len(sample) < 4:
        return None
    shares = {}
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            shares[encoding] = _plausible_share(sample.decode(encoding))
        except UnicodeDecodeError:
            shares[encoding] = 0.0
    nul_odd, nul_even = sample[1::2].count(0), sample[0::2].count(0)
    enough = max(4, len(sample) // 20)  # a few NULs also come from CJK code points like U+4E00
    if nul_odd >= enough and nul_even < nul_odd // 10:
        shares["utf-16-be"] = 0.0
    elif nul_even >= enough and nul_odd < nul_even // 10:
        shares["utf-16-le"] = 0.0
    best = max(shares, key=lambda encoding: shares[encoding])
    other = min(shares.values())
    return best if shares[best] >= 0.9 and shares[best] - other >= 0.3 else None


def _cut_at_end(err: UnicodeDecodeError, data: bytes) -> bool:
    """The only fault is a character cut off by the end of the file (a truncated copy)."""
    cut = ("unexpected end of data", "incomplete multibyte sequence", "truncated data")
    return err.reason in cut and err.end == len(data)


def _decode(data: bytes, encoding: str) -> str:
    """Strict decoding, except that a character cut off at the very end becomes U+FFFD."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        if not _cut_at_end(err, data):
            raise
        return data[: err.start].decode(encoding) + "\ufffd"


def _detect(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        if _cut_at_end(err, data):
            return "utf-8"
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    from charset_normalizer import from_bytes

    for tail in range(4):  # a truncated file may end in part of a multi-byte character
        matches = from_bytes(data[: min(len(data), 200_000) - tail])
        best = matches.best()
        if best is not None:
            break
    else:
        return ""
    # Short texts often tie; a tie that includes a GB encoding goes to GB (mainland documents).
    tied = [m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    if best.encoding not in _SUPERSETS and any(name in _SUPERSETS for name in tied):
        return "gb18030"
    return _SUPERSETS.get(best.encoding, best.encoding)


def decode_bytes(data: bytes, *, name: str = "<input>", encoding: str | None = None) -> str:
    """Decode ``data`` to text with LF line ends; raise InputError for empty or binary data."""
    if not data.strip() or not data.strip(b"\x00\t\n\r \xef\xbb\xbf\xff\xfe"):
        raise InputError(f"{name}: the file is empty; give plancheck a plan document")
    has_bom = data.startswith(tuple(bom for bom, _ in _BOMS))
    if encoding is None and not has_bom and not _utf16_without_bom(data) and _looks_binary(data):
        raise InputError(
            f"{name}: this is a binary file, not a text plan; export it as text (or .docx/.pdf/.html)"
        )
    chosen = encoding or _detect(data)
    if not chosen:
        raise InputError(f"{name}: cannot tell the text encoding; pass --encoding (e.g. gb18030)")
    try:
        text = _decode(data, chosen)
    except (UnicodeDecodeError, LookupError) as err:
        raise InputError(
            f"{name}: cannot decode as {chosen} ({err}); pass the right --encoding"
        ) from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return drop_controls(text)  # an escape sequence in a plan is never text


def read_source_bytes(path: Path | str, *, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a source file, refusing folders, missing, unreadable and oversized files."""
    path = Path(path)
    if path.is_dir():
        raise InputError(
            f"{path}: is a folder; give a plan file (or use a command that takes folders)"
        )
    if not path.exists():
        from plancheck.ingest.archive import member_bytes, split_member

        inside = split_member(path)  # 通知.zip/附件1.docx: a member of an archive
        if inside is None:
            raise InputError(f"{path}: no such file; check the path")
        archive, member = inside
        return member_bytes(archive, read_source_bytes(archive), member, limit)
    # Devices (/dev/zero never ends), FIFOs and sockets (opening one blocks) are refused
    # before anything opens them; the read is bounded too, in case the file grows meanwhile.
    check_size(path, require_regular_file(path), limit)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror}); check permissions") from None
    check_size(path, len(data), limit)
    return data


def check_size(path: Path | str, size: int, limit: int) -> None:
    """Refuse a source larger than ``limit`` bytes before any slow work is done on it."""
    if size > limit:
        raise InputError(
            f"{path}: {size / 2**20:.0f} MB is too large for a plan (limit {limit // 2**20} MB); "
            "split the file or give the plan document only"
        )


def read_text_file(path: Path, *, encoding: str | None = None) -> str:
    """Read a text source, refusing folders, missing files, huge files and binary files."""
    data = read_source_bytes(path, limit=TEXT_MAX_BYTES)
    return decode_bytes(data, name=str(path), encoding=encoding)

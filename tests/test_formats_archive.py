"""A zip of attachments: each member is a document of its own (``a.zip/附件1.xlsx``), read
from the archive under the archive limits; ``report FOLDER`` and ``scan`` treat the members
as files of the folder."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.errors import InputError
from plancheck.ingest import build_task_table, limits, read_document
from plancheck.ingest.formats import sniff
from plancheck.plans.scan import plan_files, scan_folder

COMPARED = ["task_id", "kind", "text", "units", "lead_unit", "deadline"]
NOTICE = (
    "某市人民政府办公室关于印发某市营商环境实施方案的通知",
    "一、总体要求",
    "到2025年底，营商环境明显改善。",
    "二、重点任务",
    "（一）深化审批改革。全面推行告知承诺制。（责任单位：市政务服务局、市司法局）",
    "（二）优化政务服务。推进一网通办。（牵头单位：市政务服务局；配合单位：市大数据局）",
    "某市人民政府办公室",
)


def notice_bytes() -> bytes:
    document = docx.Document()
    for text in NOTICE:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def annex_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "重点任务", "具体任务", "牵头单位", "完成时限"])
    sheet.append(["1", "优化审批", "推行容缺受理。", "市政务服务局", "2025年6月"])
    sheet.append(["2", "优化审批", "压减审批时限。", "市发展改革委", "持续开展"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_zip(path: Path, members: dict[str, bytes], *, gbk: tuple[str, ...] = ()) -> Path:
    """A zip; names in ``gbk`` are written the way Windows tools write them (GBK bytes, no
    UTF-8 flag)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    if gbk:
        raw = path.read_bytes()
        for name in gbk:  # the name in both headers, padded to its length before the suffix
            stem, dot, suffix = name.rpartition(".")
            utf8 = name.encode("utf-8")
            local = stem.encode("gb18030")
            local += b"_" * (len(utf8) - len(local) - len(dot + suffix)) + f".{suffix}".encode()
            raw = raw.replace(utf8, local)
        raw = raw.replace(b"\x00\x08", b"\x00\x00")  # the UTF-8 flag (bit 11) cleared
        path.write_bytes(raw)
    return path


@pytest.fixture
def folder(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    write_zip(
        plans / "通知.zip",
        {
            "关于印发方案的通知.docx": notice_bytes(),
            "附件/附件1.xlsx": annex_bytes(),
            "__MACOSX/._附件1.xlsx": b"\x00\x05\x16\x07",
            "../escape.docx": notice_bytes(),
            "签章.p7s": b"\x30\x82",
        },
    )
    return plans


def _alone(tmp_path, name: str, data: bytes) -> list:
    path = tmp_path / name
    path.write_bytes(data)
    return build_task_table(path, plan_id="p")[COMPARED].to_dict("records")


def test_members_are_documents_of_the_folder(folder, tmp_path):
    zip_path = folder / "通知.zip"
    before = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    files = plan_files(folder)
    assert [f.relative_to(folder).as_posix() for f in files] == [
        "通知.zip/关于印发方案的通知.docx",
        "通知.zip/附件/附件1.xlsx",
    ]  # hidden, climbing and non-document members are no documents
    notice, annex = files
    assert sniff(zip_path.read_bytes()) == "zip"
    table = build_task_table(notice, plan_id="p")
    assert table[COMPARED].to_dict("records") == _alone(tmp_path, "n.docx", notice_bytes())
    assert set(table["source_file"]) == {notice.as_posix()}
    rows = build_task_table(annex, plan_id="p")
    assert rows[COMPARED].to_dict("records") == _alone(tmp_path, "a.xlsx", annex_bytes())
    assert list(rows["lead_unit"]) == ["市政务服务局", "市发展改革委"]
    assert sorted(p.name for p in folder.iterdir()) == ["通知.zip"]  # nothing unpacked
    assert hashlib.sha256(zip_path.read_bytes()).hexdigest() == before


def test_report_folder_reads_each_member(folder, tmp_path):
    scanned = scan_folder(folder)
    assert [p.source.name for p in scanned.plans] == ["关于印发方案的通知.docx", "附件1.xlsx"]
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["report", str(folder), "--out", str(out), "--executor", "serial"]
    )
    assert result.exit_code in (0, 1), result.output
    assert "2 个方案" in (out / "index.md").read_text(encoding="utf-8")


def test_windows_gbk_member_names(tmp_path):
    write_zip(tmp_path / "a.zip", {"附件一.docx": notice_bytes()}, gbk=("附件一.docx",))
    (member,) = plan_files(tmp_path)
    assert member.name.startswith("附件一")
    assert read_document(member).lines[0] == NOTICE[0]


def test_a_zip_named_as_one_plan(tmp_path, folder):
    one = write_zip(tmp_path / "one.zip", {"方案.docx": notice_bytes()})
    assert read_document(one).lines[0] == NOTICE[0]
    result = CliRunner().invoke(app, ["tasks", str(folder / "通知.zip")])
    assert result.exit_code == 2
    line = result.output.strip()
    assert "\n" not in line and "2 documents" in line and "附件/附件1.xlsx" in line
    result = CliRunner().invoke(app, ["tasks", str(folder / "通知.zip" / "附件" / "附件1.xlsx")])
    assert result.exit_code == 0 and "市政务服务局" in result.output


def test_archive_limits_hold_for_attachments(tmp_path, monkeypatch):
    many = write_zip(tmp_path / "many.zip", {f"{n}.txt": b"x" for n in range(12)})
    monkeypatch.setattr(limits, "MAX_ARCHIVE_MEMBERS", 10)
    with pytest.raises(InputError, match="parts"):
        read_document(many)
    monkeypatch.setattr(limits, "MAX_ARCHIVE_MEMBERS", 5_000)
    monkeypatch.setattr(limits, "MAX_PART_BYTES", 1_000)
    big = write_zip(tmp_path / "big.zip", {"a.txt": "一、总体要求\n".encode() * 500})
    with pytest.raises(InputError, match="unpacks to"):
        read_document(big / "a.txt")


def test_archive_inside_an_archive_is_refused(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.docx", notice_bytes())
        archive.writestr("b.docx", notice_bytes())
    outer = write_zip(
        tmp_path / "outer.zip", {"inner.zip": inner.getvalue(), "x.docx": notice_bytes()}
    )
    assert [p.name for p in plan_files(tmp_path)] == ["x.docx"]  # .zip members are not documents
    path = tmp_path / "solo.zip"
    write_zip(path, {"方案.txt": inner.getvalue()})  # an archive disguised as text
    with pytest.raises(InputError, match="archive inside an archive"):
        read_document(path / "方案.txt")
    assert outer.is_file()

"""Hostile inputs end fast with one line: devices, FIFOs, sockets, bombs, huge spans, deep HTML.

Each probe runs the real command in a subprocess with a hard timeout (a hang fails the test
instead of hanging the suite) and a generous time bound for what a user would wait."""

from __future__ import annotations

import io
import os
import re
import socket
import zipfile

import pytest

SECONDS = 45  # generous: the machine is shared; the broken versions ran for minutes or forever


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused(cli, device):
    run = cli("tasks", device, timeout=SECONDS)
    assert "not a regular file" in run.one_line_error()


def test_fifo_is_refused_without_blocking(cli, tmp_path):
    for name in ("plan.txt", "tasks.csv"):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        run = cli("tasks", fifo, timeout=SECONDS)
        assert "FIFO" in run.one_line_error()


def test_socket_is_refused(cli, tmp_path):
    path = tmp_path / "s.txt"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        assert "socket" in cli("tasks", path, timeout=SECONDS).one_line_error()
    finally:
        server.close()


def test_fifo_as_manifest_or_baseline_is_refused(cli, tmp_path, plan_file):
    fifo = tmp_path / "plans.yaml"
    os.mkfifo(fifo)
    assert "FIFO" in cli("report", "--manifest", fifo, "--out", tmp_path / "o").one_line_error()
    base = tmp_path / "base.json"
    os.mkfifo(base)
    run = cli("validate", plan_file, "--baseline", base, timeout=SECONDS)
    assert "FIFO" in run.one_line_error()
    # nobody ever opens the FIFOs for writing: had plancheck opened one, it would have hung


def _docx_bytes(xml_edit=None) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("某市改革完善医疗卫生行业综合监管制度实施方案")
    document.add_paragraph("一、重点任务")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ("序号", "任务", "牵头单位"),
            ("1", "加强监管。", "市卫生健康委"),
            ("2", "推进公开。", "市医保局"),
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    if xml_edit is None:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item.filename, xml_edit(item.filename, data))
    return out.getvalue()


def test_docx_styles_bomb_is_refused(cli, tmp_path):
    def bomb(name, data):
        if name == "word/styles.xml":
            return data.replace(b"</w:styles>", b" " * (60 * 2**20) + b"</w:styles>")
        return data

    path = tmp_path / "bomb.docx"
    path.write_bytes(_docx_bytes(bomb))
    assert path.stat().st_size < 2 * 2**20  # tiny on disk
    line = cli("tasks", path, timeout=SECONDS).one_line_error()
    assert "word/styles.xml" in line and "MB" in line


def test_docx_grid_span_of_a_hundred_million_is_bounded(cli, tmp_path):
    def span(name, data):
        if name == "word/document.xml":
            return re.sub(rb"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="100000000"/>', data, count=1)
        return data

    path = tmp_path / "span.docx"
    path.write_bytes(_docx_bytes(span))
    run = cli("tasks", path, timeout=SECONDS)
    assert run.code in (0, 2) and "Traceback" not in run.err and run.seconds < SECONDS


def test_html_nested_100000_deep_is_refused(cli, tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + "一、任务" + "</div>" * 100_000, "utf-8")
    assert "nested" in cli("tasks", path, timeout=SECONDS).one_line_error()


def test_html_of_50_mb_is_refused(cli, tmp_path):
    path = tmp_path / "big.html"
    path.write_text("<html><body>" + "<p>加强监管。</p>" * 3_000_000 + "</body></html>", "utf-8")
    assert "too large" in cli("tasks", path, timeout=SECONDS).one_line_error()


def test_html_colspan_of_a_hundred_million_is_bounded(cli, tmp_path):
    path = tmp_path / "span.html"
    rows = "".join(
        f"<tr><td>{i}</td><td colspan='100000000' rowspan='100000000'>加强监管。</td><td>市卫生健康委</td></tr>"
        for i in range(1, 4)
    )
    path.write_text(
        "<html><body><h1>某市实施方案</h1><table><tr><th>序号</th><th>任务</th><th>牵头单位</th></tr>"
        + rows
        + "</table></body></html>",
        "utf-8",
    )
    run = cli("tasks", path, timeout=SECONDS)
    assert run.code in (0, 2) and "Traceback" not in run.err and run.seconds < SECONDS


def test_xlsx_with_a_huge_used_range_is_refused(cli, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "序号", "任务", "1", "加强监管。"
    sheet.cell(row=1_048_576, column=16_384, value="x")
    path = tmp_path / "wide.xlsx"
    book.save(path)
    assert "rows x" in cli("tasks", path, timeout=SECONDS).one_line_error()


def test_repeated_clause_numbers_are_linear(cli, tmp_path):
    path = tmp_path / "ones.txt"
    path.write_text("某市实施方案\n\n" + "1、加强监管。\n" * 8000, "utf-8")
    run = cli("tasks", path, "--format", "csv", timeout=SECONDS)
    assert run.code == 0, run.err
    assert "1~8000" in run.out


def test_long_ascii_run_validates_fast(cli, tmp_path):
    path = tmp_path / "ascii.txt"
    path.write_text(
        "某市实施方案\n\n一、任务\n（一）加强监管。"
        + "a" * 200_000
        + "\n（二）推进。"
        + "x@" * 50_000
        + "\n",
        "utf-8",
    )
    run = cli("validate", path, timeout=SECONDS)
    assert run.code in (0, 1), run.err


def test_many_plans_with_one_id_get_unique_ids_in_linear_time():
    """A folder of 20,000 plans of one place and year (a hostile or careless upload) is numbered
    x, x-2, x-3 … without re-probing every taken suffix (that was quadratic: minutes)."""
    import time

    from plancheck.plans.scan import unique_ids

    start = time.perf_counter()
    ids = unique_ids(["zhaoyang-2020"] * 20_000 + ["zhaoyang-2020-3"], taken={"zhaoyang-2020-2"})
    assert time.perf_counter() - start < 2.0
    assert ids[:3] == ["zhaoyang-2020", "zhaoyang-2020-3", "zhaoyang-2020-4"]
    assert len(set(ids)) == len(ids) and ids[-1] not in ids[:-1]

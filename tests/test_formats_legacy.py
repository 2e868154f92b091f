"""Legacy office files (.doc, WPS .wps/.et) through LibreOffice: the same task table as the
.docx they were made from, one LibreOffice start per batch, and clear refusals.

The .doc files are made here: the test writes a .docx with python-docx and LibreOffice saves it
as Word 97-2003, so the truth (the .docx's table) is known by construction."""

from __future__ import annotations

import hashlib
import pickle
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import ROOT
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.errors import InputError
from plancheck.ingest import build_task_table, prepare_legacy, read_document
from plancheck.ingest.formats import sniff
from plancheck.ingest.formats.office import OfficeConverter, find_soffice

needs_soffice = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice (apt-get install libreoffice-writer-nogui) missing"
)
CORPUS = ROOT.parent.parent / "shared" / "corpus" / "legacy-word"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/legacy-word")
COMPARED = ["task_id", "kind", "text", "units", "lead_unit", "deadline"]

PLAN = (
    "某市医疗卫生行业综合监管实施方案",
    "一、总体要求",
    "到2025年底，基本建成综合监管制度。",
    "二、重点任务",
    "（一）加强党的领导。坚持党的全面领导，建立卫生监督协调员制度。（责任单位：市卫健委、市财政局）",
    "（二）明确监管责任。建立督查机制。（牵头单位：市市场监管局；配合单位：市公安局、市卫健委）",
    "1.开展专项整治。（市医保局牵头，市卫健委配合）",
    "2.健全信用监管。（责任单位：市发展改革委）",
    "三、保障措施",
    "（一）加强组织领导。各县（区）要建立工作机制。（责任单位：各县区人民政府）",
)


def write_docx(path: Path, title: str = "") -> Path:
    document = docx.Document()
    for text in ((title,) if title else ()) + PLAN:
        document.add_paragraph(text)
    table = document.add_table(rows=3, cols=3)
    for r, cells in enumerate(
        (("具体任务", "责任单位", "完成时限"),
         ("1.建立协调机制。", "市卫健委", "2025年9月"),
         ("2.开展双随机抽查。", "市市场监管局", "持续开展"))
    ):  # fmt: skip
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    # Word always ends a body with a paragraph after a table (python-docx does not, and the
    # .doc LibreOffice writes from such a file loses the table).
    document.add_paragraph("某市卫生健康委员会")
    document.save(path)
    return path


def soffice_convert(source: Path, target: str, out: Path) -> Path:
    """The test's own LibreOffice run (a profile of its own), .docx -> .doc / .pdf."""
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", target, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out / f"{source.stem}.{target}"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Three .docx plans and the .doc LibreOffice saved from each."""
    folder = tmp_path_factory.mktemp("legacy")
    sources = [write_docx(folder / f"plan{n}.docx", title=f"第{n}号文件") for n in range(3)]
    out = folder / "doc"
    out.mkdir()
    subprocess.run(
        [find_soffice() or "soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}",
         "--headless", "--norestore", "--convert-to", "doc", "--outdir", str(out),
         *map(str, sources)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return [(source, out / f"{source.stem}.doc") for source in sources]


def _table(path: Path, **kw):
    return build_task_table(path, plan_id="p", **kw)[COMPARED].to_dict("records")


@needs_soffice
def test_doc_gives_the_task_table_of_its_docx(made):
    source, doc = made[0]
    assert sniff(doc.read_bytes()) == "doc"
    expected = _table(source)
    assert expected and _table(doc) == expected
    table = build_task_table(doc, plan_id="p").set_index("task_id")
    assert table.loc["2.2", "lead_unit"] == "市市场监管局"
    assert table.loc["2.2.1", "units"] == ["市医保局", "市卫健委"]
    assert table.loc["A.2", "deadline"] == "持续开展"
    assert read_document(doc).shape.startswith("legacy:")


@needs_soffice
def test_wps_and_et_are_read_by_their_bytes(made, tmp_path):
    # Kingsoft WPS writes .wps as a Word 97 binary (OLE2 WordDocument stream): its bytes decide.
    _, doc = made[1]
    wps = tmp_path / "通知.wps"
    wps.write_bytes(doc.read_bytes())
    assert _table(wps) == _table(made[1][0])


@needs_soffice
def test_one_libreoffice_start_for_a_batch(made, tmp_path):
    docs = [doc for _, doc in made]
    before = {doc: hashlib.sha256(doc.read_bytes()).hexdigest() for doc in docs}
    with OfficeConverter() as converter:
        assert prepare_legacy(converter, docs) == 3
        assert converter.runs == 1
        folder = converter.folder
        assert folder is not None and oct(folder.stat().st_mode & 0o777) == "0o700"
        # A worker of a process pool gets a pickled copy: it reads the prepared files.
        copy = pickle.loads(pickle.dumps(converter))
        tables = [_table(doc, converter=copy) for doc in docs]
        assert copy.runs == 1 and converter.runs == 1
    assert not folder.exists()  # the private folder is gone with the converter
    assert tables == [_table(source) for source, _ in made]
    assert {doc: hashlib.sha256(doc.read_bytes()).hexdigest() for doc in docs} == before


@needs_soffice
def test_report_folder_reads_doc_files(made, tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for _, doc in made[:2]:
        (folder / doc.name).write_bytes(doc.read_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["report", str(folder), "--out", str(out), "--executor", "serial"]
    )
    assert result.exit_code in (0, 1), result.output
    validation = (out / "validation.md").read_text(encoding="utf-8")
    assert "plan0.doc" in validation or "2 个方案" in (out / "index.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == ["plan0.doc", "plan1.doc"]


@needs_soffice
def test_a_hung_conversion_is_killed_and_refused(made):
    _, doc = made[2]
    with OfficeConverter(timeout=0.05, per_file=0) as converter:
        with pytest.raises(InputError, match="did not finish"):
            converter.convert(doc.read_bytes(), "docx", name=str(doc))
        folder = converter.folder
    assert folder is not None and not folder.exists()


@needs_soffice
def test_junk_ole_file_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputError, match=r"could not convert.*save it as \.docx"):
        read_document(path)


def test_missing_libreoffice_is_one_line_naming_the_package(tmp_path, monkeypatch):
    doc = tmp_path / "plan.doc"
    doc.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + bytes(600)
    )
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = CliRunner().invoke(app, ["tasks", str(doc)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "apt-get install libreoffice-writer-nogui" in lines[0]
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["report", str(tmp_path), "--out", str(out), "--executor", "serial"]
    )
    assert result.exit_code == 2 and "libreoffice-writer-nogui" in result.output
    assert not out.exists()  # nothing half-written


# The real Word 97-2003 files of the corpus: regulations in 第X条 articles. Checked by hand
# against the text LibreOffice shows: (file, task id, first line, start of the task's text).
PINNED = [
    ("W01_neimenggu/2020_呼伦贝尔市文明行为促进条例.doc", "1.2", 7, "本市行政区域内的文明行为促进工作，适用本条例。"),
    ("W01_neimenggu/2020_呼伦贝尔市文明行为促进条例.doc", "1.4.6", 16, "其他有关文明行为促进工作。"),
    ("W01_neimenggu/2022_赤峰市文明行为促进条例.doc", "1.5", 13, "市、旗县区精神文明建设委员会统筹推进本行政区域内"),
    ("W01_neimenggu/2022_赤峰市文明行为促进条例.doc", "6.44", 176, "本条例自2022年11月1日起施行。"),
    ("W03_guangdong/2022_中山市文明行为促进条例.doc", "1.1", 16, "为培育和践行社会主义核心价值观，加强公民道德建设"),
    ("W03_guangdong/2022_中山市文明行为促进条例.doc", "6.41", 207, "本条例自2022年5月1日实施。"),
    ("W03_guangdong/2022_佛山市文明行为促进条例.doc", "2.9.1", 39, "节约资源，减少垃圾的产生；"),
]  # fmt: skip
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus/legacy-word is not here"
)


@needs_soffice
@needs_corpus
@pytest.mark.parametrize(("name", "task_id", "line", "start"), PINNED)
def test_corpus_doc_tasks_pinned_by_hand(name, task_id, line, start):
    table = build_task_table(CORPUS / name, plan_id="p").set_index("task_id")
    assert table.loc[task_id, "line_start"] == line
    assert table.loc[task_id, "text"].startswith(start)
    assert table.loc[task_id, "source_file"] == (CORPUS / name).as_posix()


@needs_soffice
@needs_corpus
def test_corpus_doc_every_article_is_one_task_with_its_number():
    from plancheck.normalise.numbering import parse_marker

    docs = sorted(CORPUS.glob("*/*.doc"))
    assert docs
    with OfficeConverter() as converter:
        prepare_legacy(converter, docs)
        for path in docs:
            doc = read_document(path, converter=converter)
            table = build_task_table(path, plan_id="p", converter=converter)
            articles = {}
            for n, text in enumerate(doc.lines, 1):
                marker, rest = parse_marker(text.strip())
                if marker is not None and marker.raw.endswith("条") and rest:
                    articles[n] = (marker.number, rest.strip()[:12])
            top = table[table["task_id"].str.count(r"\.") == 1]
            assert len(top) == len(articles), path.name
            for (_, row), (line, (number, start)) in zip(
                top.iterrows(), sorted(articles.items()), strict=True
            ):
                assert row["line_start"] == line and row["task_id"].endswith(f".{number}")
                assert row["text"].replace("\u3000", "").startswith(start.replace("\u3000", ""))
        assert converter.runs == 1  # the four files in one LibreOffice start

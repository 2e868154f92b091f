"""`plancheck scan`: the plan tree from the documents' own words, and manifest writing."""

from __future__ import annotations

import shutil

from conftest import ROOT
from plan_factory import Spec, cited_title, province_specs, title_of, write_plans
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.plans.folder import scan_plans
from plancheck.plans.manifest import load_manifest

RAW = ROOT / "datasets" / "raw"


def by_file(folder):
    return {p.source.name: p.id for p in folder.plans}


def test_seed_tree_without_a_manifest():
    folder = scan_plans(RAW)
    ids = by_file(folder)
    tree = folder.tree
    lingyuan = tree.node(ids["002_82fb3db6e2e51aed.txt"])
    assert (lingyuan.parent, lingyuan.parent_held) == (ids["001_2c0f12420f1f2137.txt"], True)
    cited = {tree.external(c).doc_number for c in lingyuan.cited if tree.external(c)}
    assert cited == {
        "国办发〔2018〕63号",
        "朝政办发〔2020〕74号",
    }  # the national and Chaoyang plans
    guangyuan = tree.node(ids["004_9e0b5efffc639d84.txt"])
    assert tree.external(guangyuan.parent).doc_number == "川办发〔2019〕41号"
    assert not guangyuan.parent_held
    for name in ("003_321ef95c29761d99.txt", "001_2c0f12420f1f2137.txt"):  # Chongqing, Liaoning
        assert tree.external(tree.node(ids[name]).parent).doc_number == "国办发〔2018〕63号"
    leshan = tree.node(ids["000_6019df887036e20a.txt"])
    assert leshan.parent is None and leshan.cited == ()
    assert leshan.suggested[0].id == ids["004_9e0b5efffc639d84.txt"]
    assert leshan.suggested[0].relation == "peer" and 0 < leshan.suggested[0].score <= 1
    assert len(leshan.suggested) == 3
    assert [s.score for s in leshan.suggested] == sorted(
        (s.score for s in leshan.suggested), reverse=True
    )


def test_scan_reproduces_the_bundled_manifest_links():
    manifest = load_manifest(ROOT / "datasets" / "plans.yaml")
    for hand in (None, manifest):  # from the documents alone, and with the hand-written fields
        folder = scan_plans(RAW, hand)
        scanned = {e.plan.source.name: e.plan for e in folder.entries if e.plan.source}
        unheld = {e.plan.id: e.plan for e in folder.entries if e.plan.source is None}
        for plan in manifest.with_sources():
            got = scanned[plan.source.name]
            if plan.id == "leshan":  # cites nothing: a suggestion, never a parent
                assert got.parent is None
                continue
            expected = manifest.get(plan.parent)
            if expected.source is not None:
                assert scanned[expected.source.name].id == got.parent
            else:
                assert unheld[got.parent].doc_number == expected.doc_number
    lingyuan = scan_plans(RAW, manifest).tree.node("lingyuan-2021")
    assert (lingyuan.parent, lingyuan.parent_via) == ("liaoning-2019", "doc_number")


def test_write_manifest_keeps_comments_and_hand_written_fields(tmp_path):
    shutil.copytree(RAW, tmp_path / "raw")
    original = (ROOT / "datasets" / "plans.yaml").read_text(encoding="utf-8")
    path = tmp_path / "plans.yaml"
    path.write_text(original, encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "raw"), "--write-manifest", str(path)])
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    comments = [line for line in original.splitlines() if "#" in line]
    assert all(line in text.splitlines() for line in comments)
    manifest = load_manifest(path)
    assert manifest.get("leshan").parent == "sichuan-2019"  # hand-written wins
    assert manifest.get("leshan").peers == ("guangyuan",)
    assert manifest.get("liaoning-2019").doc_number == "辽政办发〔2019〕34号"
    chaoyang = [p for p in manifest.plans if p.doc_number == "朝政办发〔2020〕74号"]
    assert len(chaoyang) == 1 and chaoyang[0].source is None  # cited, not in the folder
    assert len(manifest.plans) == 8
    again = CliRunner().invoke(app, ["scan", str(tmp_path / "raw"), "--write-manifest", str(path)])
    assert again.exit_code == 0 and path.read_text(encoding="utf-8") == text  # idempotent


def test_new_manifest_from_a_scan_loads_and_marks_suggestions(tmp_path):
    path = tmp_path / "plans.yaml"
    result = CliRunner().invoke(app, ["scan", str(RAW), "--write-manifest", str(path)])
    assert result.exit_code == 0, result.output
    # the manifest is written outside the repository whose raw files it names
    manifest = load_manifest(path, allow_outside_sources=True)
    assert len(manifest.with_sources()) == 5 and len(manifest.plans) == 8
    text = path.read_text(encoding="utf-8")
    assert "suggested, not adopted: guangyuan" in text
    leshan = next(p for p in manifest.plans if p.title.startswith("乐山市"))
    assert leshan.parent is None


def test_synthetic_province_tree_in_mixed_shapes(tmp_path):
    specs = province_specs(cities=3, counties_per_city=4)
    write_plans(tmp_path, specs)
    folder = scan_plans(tmp_path)
    assert len(folder.plans) == len(specs) and folder.skipped == ()
    by_title = {p.meta.title: p for p in folder.plans}
    for spec in specs:
        plan = by_title[title_of(spec.place)]
        assert plan.meta.level == spec.level, spec
        node = folder.tree.node(plan.id)
        if spec.level == "province":
            assert folder.tree.external(node.parent).doc_number == "国办发〔2018〕63号"
            continue
        parent_place = spec.parent_title.split("人民政府")[0]
        assert node.parent == by_title[title_of(parent_place)].id, spec
        assert node.parent_via == ("doc_number" if spec.parent_number and
                                   by_title[title_of(parent_place)].meta.doc_number else "title")  # fmt: skip
    city = by_title[title_of(specs[1].place)]
    counties = [by_title[title_of(s.place)].id for s in specs[2:6]]
    assert sorted(folder.tree.node(counties[0]).peers) == sorted(counties[1:])
    assert folder.tree.node(city.id).peers != ()


def test_a_plan_citing_nothing_gets_suggestions_never_a_parent(tmp_path):
    specs = [
        Spec("p.txt", "川南省", "province", "川南府办发〔2019〕1号", 2019),
        Spec("a.txt", "泸川市", "city", "泸府办发〔2020〕2号", 2020,
             cited_title("川南省", "人民政府办公厅"), "川南府办发〔2019〕1号"),
        Spec("b.txt", "锦江市", "city", None, 2020, shape="table"),
    ]  # fmt: skip
    write_plans(tmp_path, specs)
    folder = scan_plans(tmp_path)
    lonely = next(p for p in folder.plans if p.source.name == "b.txt")
    node = folder.tree.node(lonely.id)
    assert node.parent is None and node.peers == ()
    assert {s.id for s in node.suggested} == {p.id for p in folder.plans if p is not lonely}
    entry = next(e for e in folder.entries if e.plan.id == lonely.id)
    assert entry.plan.parent is None  # the in-memory manifest does not adopt a suggestion


def test_scan_bad_folder_is_one_line_and_exit_2(tmp_path):
    for target in (tmp_path / "missing", tmp_path):
        result = CliRunner().invoke(app, ["scan", str(target)])
        assert result.exit_code == 2
        assert "Traceback" not in result.output and result.output.count("\n") == 1


def test_unreadable_file_is_skipped_with_its_reason(tmp_path):
    write_plans(tmp_path, province_specs(cities=1, counties_per_city=1))
    (tmp_path / "notes.txt").write_text("会议纪要\n\n今天天气很好。\n", encoding="utf-8")
    folder = scan_plans(tmp_path)
    assert [p.name for p, _ in folder.skipped] == ["notes.txt"]
    assert len(folder.plans) == 3


def test_tasks_meta_prints_what_the_document_says(tmp_path):
    result = CliRunner().invoke(app, ["tasks", str(RAW / "002_82fb3db6e2e51aed.txt"), "--meta"])
    assert result.exit_code == 0, result.output
    assert "凌政办发〔2021〕3号" in result.output and "2021-02-17" in result.output
    assert "辽政办发〔2019〕34号" in result.output


def test_write_manifest_never_replaces_a_source_or_a_link(tmp_path):
    write_plans(tmp_path, province_specs(cities=1, counties_per_city=1))
    source = next(tmp_path.rglob("*.txt"))
    before = source.read_bytes()
    link = tmp_path / "link.yaml"
    link.symlink_to(source)
    for target in (source, link):
        result = CliRunner().invoke(app, ["scan", str(tmp_path), "--write-manifest", str(target)])
        assert result.exit_code == 2 and "Traceback" not in result.output
    assert source.read_bytes() == before


def test_linked_files_and_hidden_files_are_not_scanned(tmp_path):
    folder = tmp_path / "plans"
    write_plans(folder, province_specs(cities=1, counties_per_city=1))
    outside = tmp_path / "outside.txt"
    outside.write_text(next(folder.rglob("*.txt")).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "linked.txt").symlink_to(outside)
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    assert len(scan_plans(folder).plans) == 3


def test_scan_json_is_the_library_records():
    import json

    from plancheck.plans.folder import tree_records

    result = CliRunner().invoke(app, ["scan", str(RAW), "--format", "json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == {"plans": tree_records(scan_plans(RAW)), "skipped": []}
    by_number = {p["doc_number"]: p for p in printed["plans"] if p["doc_number"]}
    assert by_number["川办发〔2019〕41号"]["held"] is False
    assert by_number["川办发〔2019〕41号"]["cited_by"] == ["guangyuan"]


def test_tasks_meta_json_lists_the_citations():
    import json

    result = CliRunner().invoke(
        app, ["tasks", str(RAW / "004_9e0b5efffc639d84.txt"), "--meta", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["title"] == "广元市改革完善医疗卫生行业综合监管制度的实施方案"
    assert [c["doc_number"] for c in record["citations"]] == ["川办发〔2019〕41号"]


def test_a_folder_of_mixed_formats(tmp_path):
    import docx
    from plan_factory import render

    specs = province_specs(cities=1, counties_per_city=1)
    province, city, county = specs
    (tmp_path / "province.txt").write_text(render(province, 0), encoding="utf-8")
    document = docx.Document()
    for line in render(city, 1).splitlines():
        document.add_paragraph(line.lstrip("# "))
    document.save(tmp_path / "city.docx")
    paragraphs = "".join(f"<p>{line}</p>" for line in render(county, 2).splitlines() if line)
    (tmp_path / "county.html").write_text(
        f"<html><head><meta charset='utf-8'></head><body><div>{paragraphs}</div></body></html>",
        encoding="utf-8",
    )
    folder = scan_plans(tmp_path)
    ids = by_file(folder)
    assert folder.skipped == ()
    assert folder.tree.node(ids["county.html"]).parent == ids["city.docx"]
    assert folder.tree.node(ids["city.docx"]).parent == ids["province.txt"]

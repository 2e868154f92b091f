"""The HTML report in a real browser: headless Chromium (Debian's chromium + chromium-driver,
installed by .ci/run) opens a generated report from disk, with no network.

Skipped, with the reason, only where no browser or driver is installed."""

from __future__ import annotations

import shutil

import pytest
from test_align_synthetic import CLAUSES, table

from plancheck.align import diff_plans
from plancheck.report.diff_html import render_diff_html

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

pytestmark = pytest.mark.skipif(
    not (BROWSER and DRIVER),
    reason="no chromium/chromedriver on PATH (apt-get install chromium chromium-driver)",
)


@pytest.fixture()
def browser(tmp_path):
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1280,1600",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _report(tmp_path):
    items = list(CLAUSES)
    items[10] = (items[10][0].replace("全市建成", "全市基本建成"), ["市卫健委"])
    items[3] = (items[3][0].replace("完善舆情监测和处置机制。", ""), items[3][1])
    del items[6]
    diff = diff_plans(table("ref", CLAUSES), table("tgt", items))
    path = tmp_path / "diff.html"
    path.write_text(render_diff_html(diff), encoding="utf-8")
    return path


def _visible(driver, css):
    return [el for el in driver.find_elements("css selector", css) if el.is_displayed()]


def test_report_opens_filters_and_prints(browser, tmp_path):
    path = _report(tmp_path)
    browser.get(path.as_uri())
    findings = browser.find_element("id", "findings")
    assert findings.is_displayed()
    assert findings.location["y"] < 900  # on the first screen
    omitted = _visible(browser, '#findings li[data-group="omitted"]')
    assert omitted and any("完善舆情监测和处置机制" in li.text for li in omitted)
    assert _visible(browser, '#findings li[data-group="weakened"]')
    assert not _visible(browser, '#findings li[data-group="reworded"]')  # folded by default

    browser.find_element("id", "filter-omitted").click()
    assert not _visible(browser, '#findings li[data-group="omitted"]')
    assert not _visible(browser, '#status tr[data-group="omitted"]')
    assert _visible(browser, '#findings li[data-group="weakened"]')
    browser.find_element("id", "filter-omitted").click()
    assert len(_visible(browser, '#findings li[data-group="omitted"]')) == len(omitted)

    del_text = browser.find_element("css selector", ".redline del").value_of_css_property(
        "text-decoration-line"
    )
    assert del_text == "line-through"
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


def test_seed_report_shows_every_left_out_and_weakened_requirement_on_the_first_screen(browser):
    from conftest import ROOT

    browser.set_window_size(1280, 1080)  # a full-HD screen
    browser.get((ROOT / "reports" / "diff-lingyuan-2021-vs-liaoning-2019.html").as_uri())
    height = browser.execute_script("return window.innerHeight")
    items = _visible(browser, '#findings li[data-kind="omitted_requirement"]')
    items += _visible(browser, '#findings li[data-kind="weakened"]')
    golden = (ROOT / "reports" / "diff-lingyuan-2021-vs-liaoning-2019.md").read_text("utf-8")
    findings = golden.split("## 覆盖情况")[0]
    expected = findings.count("- 遗漏要求 requirement left out") + findings.count("- 弱化 weakened")
    assert len(items) == expected > 0  # every one the golden Markdown report lists
    # one line per finding (full text in the tooltip): all 20+ left-out phrases and the
    # weakenings of this pair fit on the first screen of a full-HD display
    bottoms = [el.location["y"] + el.size["height"] for el in items]
    assert max(bottoms) <= height, f"last finding ends at {max(bottoms)}px of {height}px"
    shown = items[0].find_element("css selector", ".what").text
    what = shown[shown.index("「") + 1 : shown.index("」")] if "「" in shown else shown
    assert what and what in items[0].get_attribute("title")  # the whole text in the tooltip


def test_print_stylesheet_shows_everything_and_drops_the_controls(browser):
    from conftest import ROOT

    browser.get((ROOT / "reports" / "diff-lingyuan-2021-vs-liaoning-2019.html").as_uri())
    assert browser.find_elements("css selector", '#findings li[data-group="reworded"]')
    assert not _visible(browser, '#findings li[data-group="reworded"]')
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not _visible(browser, ".filters")
    assert _visible(browser, '#findings li[data-group="reworded"]')  # printed, not folded
    hashes = browser.find_elements("css selector", "#provenance abbr")
    assert all(len(h.text) == 12 and len(h.get_attribute("title")) == 64 for h in hashes)


def test_index_links_to_the_diff_pages(browser):
    from conftest import ROOT

    browser.get((ROOT / "reports" / "index.html").as_uri())
    rows = browser.find_elements("css selector", "#diffs tbody tr")
    assert len(rows) == 2
    assert browser.find_elements("css selector", "svg.chart rect")  # the coverage chart
    rows[1].find_element("css selector", "a").click()
    assert browser.current_url.endswith("diff-lingyuan-2021-vs-liaoning-2019.html")
    assert browser.find_element("id", "findings").is_displayed()

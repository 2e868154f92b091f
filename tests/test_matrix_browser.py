"""The coverage matrix's heatmap filters in a real browser (headless Chromium, from disk, no
network); skipped, with the reason, where no browser or driver is installed."""

from __future__ import annotations

import pytest
from test_report_browser import BROWSER, DRIVER, browser  # noqa: F401  (the fixture)

from plancheck.report.matrix import MatrixColumn, Requirement, build_matrix
from plancheck.report.matrix_render import render_matrix_html

pytestmark = pytest.mark.skipif(
    not (BROWSER and DRIVER),
    reason="no chromium/chromedriver on PATH (apt-get install chromium chromium-driver)",
)

ROWS = [
    Requirement("1.1", 4, "建立综合监管协调机制，"),
    Requirement("1.2", 5, "全面推行承诺制审批，"),
    Requirement("1.3", 6, "建立举报奖励制度。"),
]
# truth by construction: 1.3 left out by a and b, 1.2 weakened by b, c unsure of 1.1
COLUMNS = [
    MatrixColumn("county-a", "A", ("carried", "carried", "omitted")),
    MatrixColumn("county-b", "B", ("carried", "weakened", "omitted")),
    MatrixColumn("town-c", "C", ("check", "carried", "carried")),
]


def shown(driver) -> list[str]:
    rows = driver.find_elements("css selector", ".matrix-section tbody tr")
    return [r.find_element("css selector", "td.req").text for r in rows if r.is_displayed()]


def test_heatmap_filters_rows_and_plans(browser, tmp_path):  # noqa: F811
    from selenium.webdriver.support.ui import Select

    path = tmp_path / "matrix.html"
    path.write_text(render_matrix_html([build_matrix("city", "市方案", ROWS, COLUMNS)]), "utf-8")
    browser.get(path.as_uri())
    texts = shown(browser)
    assert len(texts) == 3 and "建立举报奖励制度" in texts[0]  # most often left out first
    count = browser.find_element("css selector", ".f-count")
    drop = browser.find_element("css selector", ".f-drop")
    drop.clear()
    drop.send_keys("2")
    assert len(shown(browser)) == 1 and count.text == "1"
    drop.clear()
    drop.send_keys("0")
    Select(browser.find_element("css selector", ".f-state")).select_by_value("w")
    assert [t for t in shown(browser)] == [t for t in texts if "承诺制" in t]
    plan = browser.find_element("css selector", ".f-plan")
    plan.send_keys("town")  # only plan c: it weakens nothing
    assert shown(browser) == []
    heads = browser.find_elements("css selector", "th.plan")
    assert [h.is_displayed() for h in heads] == [False, False, True]
    Select(browser.find_element("css selector", ".f-state")).select_by_value("c")
    assert len(shown(browser)) == 1 and "协调机制" in shown(browser)[0]
    plan.clear()
    Select(browser.find_element("css selector", ".f-state")).select_by_value("")
    browser.find_element("css selector", ".f-text").send_keys("举报")
    assert len(shown(browser)) == 1

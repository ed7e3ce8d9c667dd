"""The weekly HTML report: figures equal the overview's, self-contained, escaped, zh/en,
charts as embedded PNGs when Chromium is there, and one-line errors for bad input."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest

from analysis import catalog, report_png
from analysis.cli import main
from analysis.db import connection, open_db
from analysis.overview import KPIS, format_value, week_figures
from analysis.overview import format_change

D = dt.datetime
WEEK = "2026-W47"
XSS = "<script>alert(1)</script>"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
HAVE_CHROMIUM = report_png.find_browser() is not None


def cells(html: str, cls: str) -> dict[str, str]:
    tag = "b" if cls == "kpi" else "span"
    return dict(re.findall(rf'<{tag} class="{cls}" data-key="([a-z_]+)">([^<]*)</{tag}>', html))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A small demo plus three no-contact 1-star reviews of an item whose title is a script
    tag (week 47), and one order a year before so the same-week-last-year column shows."""
    from analysis.demo import write_demo

    path = tmp_path_factory.mktemp("report") / "demo.duckdb"
    write_demo(path, customers=300, seed=3, end=dt.date(2026, 11, 20))
    con = open_db(path)
    try:
        for k in range(3):
            con.execute(
                "INSERT INTO reviews (shop, review_key, order_id, customer_id, item_title, rating, "
                "content, review_time) VALUES ('天猫旗舰店', ?, ?, ?, ?, 1, ?, ?)",
                [f"xss-{k}", f"XSS-{k}", f"xss-c{k}", XSS, XSS, D(2026, 11, 17, 10 + k)])
        con.execute(
            "INSERT INTO orders (shop, order_id, customer_id, order_time, pay_time, paid_amount, "
            "item_title, quantity, unit_price) VALUES ('天猫旗舰店', 'OLD-1', 'old-c1', ?, ?, 99, "
            "'旧商品', 1, 99)", [D(2025, 11, 18, 9), D(2025, 11, 18, 9)])
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def reports(demo, tmp_path_factory):
    """The week-47 report in both languages (drawing PNGs is slow: once per language)."""
    out = tmp_path_factory.mktemp("out")
    files = {}
    for lang in ("zh", "en"):
        html = out / f"report_{lang}.html"
        assert main(["report", "--week", WEEK, "--out", str(html), "--lang", lang,
                     "--db", str(demo)]) == 0
        files[lang] = html
    return files


@pytest.fixture(scope="module")
def expected(demo):
    with connection(demo, read_only=True) as con:
        return {"this": week_figures(con, WEEK), "last": week_figures(con, "2026-W46"),
                "year_ago": week_figures(con, "2025-W47"), "shops": catalog.shops(con)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kpis_are_the_overview_figures(reports, expected, lang):
    html = reports[lang].read_text("utf-8")
    for cls, which in (("kpi", "this"), ("last", "last"), ("year-ago", "year_ago")):
        shown = cells(html, cls)
        assert shown == {k: format_value(k, expected[which][k], lang) for k, _, _ in KPIS}, cls
    # the three inserted reviews are bad reviews with no prior contact
    assert expected["this"]["no_contact"] >= 3
    assert expected["year_ago"]["new_buyers"] == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_self_contained_and_escaped(reports, lang):
    html = reports[lang].read_text("utf-8")
    assert "<script" not in html.lower()
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*//""", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Noto Sans CJK SC" in html


def test_english_report_has_no_chinese(reports, expected):
    html = reports["en"].read_text("utf-8")
    assert "Weekly store report · 2026-W47" in html
    for name in expected["shops"]:  # shop names are the store's own words
        html = html.replace(name, "")
    assert CJK.findall(html) == []
    assert "店铺周报 · 2026年第47周" in reports["zh"].read_text("utf-8")


def test_charts_are_embedded_pngs(reports):
    if not HAVE_CHROMIUM:
        if os.environ.get("CI") == "true":
            pytest.fail("CI installs chromium, yet none was found")
        pytest.skip("no chromium on this machine: charts are omitted by design")
    for lang, html_path in reports.items():
        html = html_path.read_text("utf-8")
        assert html.count('src="data:image/png;base64,') == 4, lang  # ladder, bands, paths, speed
        card = html_path.with_suffix(".png").read_bytes()
        assert card[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_chromium_the_report_is_written_without_charts(demo, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(report_png, "find_browser", lambda: None)
    out = tmp_path / "r.html"
    out.with_suffix(".png").write_bytes(b"last week's card")
    assert main(["report", "--week", WEEK, "--out", str(out), "--lang", "en", "--db", str(demo)]) == 0
    html = out.read_text("utf-8")
    assert "Charts omitted: no Chromium browser was found to draw them." in html
    assert "<img" not in html
    assert not out.with_suffix(".png").exists()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("warning: Charts omitted")


def test_week_without_data(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(report_png, "find_browser", lambda: None)
    out = tmp_path / "empty.html"
    assert main(["report", "--week", "2020-W01", "--out", str(out), "--lang", "en", "--db", str(demo)]) == 0
    html = out.read_text("utf-8")
    assert "There was no data in 2020-W01" in html
    assert set(cells(html, "kpi").values()) == {"—"}
    assert set(cells(html, "last").values()) == {"—"}


@pytest.mark.parametrize("argv, message", [
    (["--week", "2026-47"], "Not an ISO week"),
    (["--week", "2026-W60"], "Not an ISO week"),
    (["--week", WEEK, "--db", "/nonexistent/store.duckdb"], "No database at"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, argv, message):
    argv = ["report", "--out", str(tmp_path / "r.html"), *argv]
    if "--db" not in argv:
        argv += ["--db", str(tmp_path / "missing.duckdb")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "r.html").exists()


def test_format_change():
    assert format_change("repeat_rate", 0.25, 0.2, "en") == ("+5.0 pt", "good")
    assert format_change("negative_share", 0.3, 0.2, "zh") == ("+10.0 个百分点", "bad")
    assert format_change("resolution_median_h", 10.0, 12.5, "en") == ("-2.5 h", "good")
    assert format_change("new_buyers", 1200, 1200, "en") == ("+0", "flat")
    assert format_change("reviews", 1500, 200, "en") == ("+1,300", "good")
    assert format_change("no_contact", None, 3, "en") == ("—", None)


def test_find_browser_prefers_browser_path(tmp_path, monkeypatch):
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert report_png.find_browser() == str(fake)
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "absent"))
    monkeypatch.setenv("PATH", str(tmp_path))  # no browser on PATH either
    assert report_png.find_browser() is None

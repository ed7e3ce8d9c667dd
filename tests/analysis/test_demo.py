"""The demo generator: deterministic, complete, believable, and written atomically."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import demo
from analysis.cli import main
from analysis.db import open_db
from analysis.demo_texts import ASPECTS, PLACEHOLDERS

END = dt.date(2026, 11, 25)  # a Wednesday: its ISO week 2026-W48 has three days of data
N = 600
DATA_TABLES = ("orders", "order_items", "reviews", "tickets", "contacts", "care_calls",
               "do_not_call")
ID_COLUMNS = {"orders": ("order_id", "customer_id", "item_id"),
              "order_items": ("order_id", "item_id"),
              "reviews": ("review_id", "order_id", "customer_id", "item_id"),
              "tickets": ("ticket_id", "order_id", "customer_id"),
              "contacts": ("customer_id",)}


def _checksums(path) -> dict[str, tuple[int, str]]:
    """(row count, md5 of every row in a fixed order) per data table."""
    con = open_db(path, read_only=True)
    try:
        return {t: con.execute(
            f'SELECT count(*), md5(coalesce(string_agg(CAST(x AS VARCHAR), chr(10) '
            f'ORDER BY CAST(x AS VARCHAR)), \'\')) FROM "{t}" x').fetchone()
            for t in DATA_TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    counts = demo.write_demo(path, customers=N, seed=7, end=END)
    return path, counts


@pytest.fixture
def dcon(demo_db):
    con = open_db(demo_db[0], read_only=True)
    yield con
    con.close()


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()[0]


def test_same_seed_gives_the_same_rows_and_another_seed_does_not(demo_db, tmp_path):
    again = tmp_path / "again.duckdb"
    other = tmp_path / "other.duckdb"
    demo.write_demo(again, customers=N, seed=7, end=END)
    demo.write_demo(other, customers=N, seed=8, end=END)
    first = _checksums(demo_db[0])
    assert _checksums(again) == first
    assert _checksums(other)["orders"] != first["orders"]


def test_every_table_has_rows_and_every_row_names_its_demo_import(demo_db, dcon):
    path, counts = demo_db
    for table in DATA_TABLES:
        assert counts[table] > 0, table
        assert one(dcon, "SELECT count(*) FROM query_table(?)", [table]) == counts[table]
    imports = dcon.execute(
        "SELECT kind, file_name, imported_by, inserted, import_id FROM imports ORDER BY import_id"
    ).fetchall()
    assert [(k, f, b) for k, f, b, _, _ in imports] == [
        (k, "demo", "demo") for k in ("orders", "order_items", "reviews", "tickets", "contacts")]
    for kind, _, _, inserted, import_id in imports:
        assert inserted == counts[kind]
        assert one(dcon, "SELECT count(*) FROM query_table(?) WHERE import_id IS DISTINCT FROM ?",
                   [kind, import_id]) == 0


def test_both_shops_with_about_a_fifth_on_jd(dcon):
    shares = dict(dcon.execute(
        "SELECT shop, count(*) / sum(count(*)) OVER () FROM orders GROUP BY shop").fetchall())
    assert set(shares) == {"天猫旗舰店", "京东自营店"}
    assert 0.1 < shares["京东自营店"] < 0.3


def test_the_last_day_has_signed_parcels_and_unshipped_paid_orders(dcon):
    assert one(dcon, "SELECT count(*) FROM orders WHERE signed_time::date = ?", [END]) >= 10
    last = one(dcon, "SELECT max(coalesce(signed_time, pay_time, order_time))::DATE FROM orders")
    assert last == END
    unshipped = one(dcon, "SELECT count(*) FROM orders WHERE pay_time IS NOT NULL "
                          "AND ship_time IS NULL AND status = '等待发货'")
    assert unshipped > 0


def test_26_iso_weeks_and_the_last_two_both_have_orders(dcon):
    weeks = [w for (w,) in dcon.execute(
        "SELECT DISTINCT iso_week_label(order_time) FROM orders ORDER BY 1").fetchall()]
    assert len(weeks) == 26
    assert weeks[-2:] == ["2026-W47", "2026-W48"]
    per_week = dict(dcon.execute(
        "SELECT iso_week_label(order_time), count(*) FROM orders GROUP BY 1").fetchall())
    assert per_week["2026-W47"] > 0 and per_week["2026-W48"] > 0
    # 双11 (a Wednesday in 2026-W46) stands out from the weeks around it.
    assert per_week["2026-W46"] > 1.5 * per_week["2026-W45"]


def test_ids_are_text_never_a_float_rendering(dcon):
    for table, cols in ID_COLUMNS.items():
        types = dict(dcon.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
            [table]).fetchall())
        for col in cols:
            assert types[col] == "VARCHAR"
            bad = one(dcon, "SELECT count(*) FROM query_table(?) WHERE regexp_matches(COLUMNS(?), ?)",
                      [table, col, r"^[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+$|^[0-9]+\.0$|\*"])
            assert bad == 0, (table, col)
    assert one(dcon, "SELECT count(*) FROM orders "
                     "WHERE regexp_matches(order_id, '^[0-9]{19}$')") > 0


def test_order_events_come_in_order_and_never_after_the_last_evening(dcon):
    late = dt.datetime.combine(END, dt.time(20))
    assert one(dcon, "SELECT count(*) FROM orders WHERE pay_time < order_time "
                     "OR ship_time < pay_time OR signed_time < ship_time "
                     "OR greatest(order_time, pay_time, ship_time, signed_time) > ?", [late]) == 0
    assert one(dcon, "SELECT count(*) FROM reviews r JOIN orders o USING (shop, order_id) "
                     "WHERE r.review_time < o.signed_time OR r.review_time > ? "
                     "OR r.followup_time < r.review_time OR r.reply_time < r.review_time",
               [late]) == 0


def test_statuses_refunds_and_unpaid_orders(dcon):
    statuses = {s for (s,) in dcon.execute("SELECT DISTINCT status FROM orders").fetchall()}
    assert {"交易成功", "已发货", "等待发货", "交易关闭", "退款成功"} <= statuses
    assert one(dcon, "SELECT count(*) FROM orders WHERE pay_time IS NULL") > 0
    assert one(dcon, "SELECT count(*) FROM orders WHERE status = '退款成功' "
                     "AND refund_amount = paid_amount") > 0
    assert one(dcon, "SELECT count(*) FROM orders WHERE status = '交易成功' "
                     "AND refund_amount > 0 AND refund_amount < paid_amount") > 0


def test_reviews_are_mostly_five_stars_with_a_few_per_cent_negative(dcon):
    total, negative, five = dcon.execute(
        "SELECT count(*), count(*) FILTER (rating <= 2), count(*) FILTER (rating = 5) FROM reviews"
    ).fetchone()
    assert 0.01 <= negative / total <= 0.08
    assert five / total > 0.75


def test_placeholders_replies_and_followups_exist(dcon):
    total = one(dcon, "SELECT count(*) FROM reviews")
    placeholders = one(dcon, "SELECT count(*) FROM reviews WHERE list_contains(?, content)",
                       [PLACEHOLDERS])
    assert 0.05 <= placeholders / total <= 0.2
    replied_bad = one(dcon, "SELECT avg((seller_reply IS NOT NULL)::INT) FROM reviews "
                            "WHERE rating <= 2")
    assert replied_bad > 0.5
    assert one(dcon, "SELECT count(*) FROM reviews WHERE followup_content IS NOT NULL "
                     "AND followup_time > review_time") > 0


def test_some_five_star_reviews_complain(dcon):
    complaints = [p for neg in (bad for _, bad in ASPECTS.values()) for p in neg]
    mismatched = one(dcon, "SELECT count(*) FROM reviews WHERE rating = 5 AND "
                           "list_contains(?, rtrim(content, '。'))", [complaints])
    assert mismatched > 0


def test_review_texts_vary(dcon):
    # Written texts: longer than a stock phrase and not a platform placeholder.
    total = one(dcon, "SELECT count(*) FROM reviews "
                      "WHERE length(content) > 12 AND NOT list_contains(?, content)", [PLACEHOLDERS])
    top = one(dcon, "SELECT max(n) FROM (SELECT count(*) AS n FROM reviews "
                    "WHERE length(content) > 12 AND NOT list_contains(?, content) GROUP BY content)",
              [PLACEHOLDERS])
    assert total > 200 and top <= 3


def test_tickets_cover_sources_sla_breaches_and_unanswered(dcon):
    sources = {s for (s,) in dcon.execute("SELECT DISTINCT source FROM tickets").fetchall()}
    assert sources == {"helpdesk", "refund", "care_call"}
    assert one(dcon, "SELECT count(*) FROM tickets WHERE escalated") > 0
    assert one(dcon, "SELECT count(*) FROM tickets WHERE first_response_at IS NULL") > 0
    assert one(dcon, "SELECT count(*) FROM tickets WHERE resolved_at IS NULL") > 0
    assert one(dcon, "SELECT count(*) FROM tickets "
                     "WHERE resolved_at > opened_at + INTERVAL 24 HOUR") > 0
    assert one(dcon, "SELECT count(*) FROM tickets WHERE first_response_at < opened_at "
                     "OR resolved_at < first_response_at OR resolved_at > ?",
               [dt.datetime.combine(END, dt.time(23, 59))]) == 0
    agents = {a for (a,) in dcon.execute("SELECT DISTINCT agent FROM tickets").fetchall()}
    assert agents == {"客服1", "客服2", "客服3", "客服4", "客服5"}


def test_all_six_rungs_are_populated(dcon):
    ladder = pytest.importorskip("analysis.ladder", reason="analysis.ladder not in the tree yet")
    counts = ladder.tier_counts(dcon, END)
    assert set(counts) == {"unrelated", "prospect", "buyer", "customer", "supporter", "advocate"}
    assert all(n > 0 for n in counts.values()), counts
    assert sum(counts.values()) == N


def test_all_three_bad_review_paths_occur(dcon):
    paths = pytest.importorskip("analysis.bad_reviews",
                                reason="analysis.bad_reviews not in the tree yet")
    counts = paths.bad_review_paths(dcon, None, None)
    assert all(counts[k] > 0 for k in paths.PATHS), counts


def test_care_lists_have_work_tonight(dcon):
    care = pytest.importorskip("analysis.care", reason="analysis.care not in the tree yet")
    assert len(care.call_list(dcon, END)) > 0
    assert len(care.thank_you_list(dcon)) > 0
    outcomes = {o for (o,) in dcon.execute("SELECT DISTINCT outcome FROM care_calls").fetchall()}
    assert outcomes <= set(care.OUTCOMES)


def test_a_failed_write_leaves_the_previous_demo_intact(demo_db, tmp_path, monkeypatch):
    target = tmp_path / "demo.duckdb"
    demo.write_demo(target, customers=N, seed=7, end=END)
    before = _checksums(target)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "_store", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        demo.write_demo(target, customers=N, seed=9, end=END)
    assert _checksums(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.duckdb"]


def test_progress_is_reported_up_to_one(tmp_path):
    seen = []
    demo.write_demo(tmp_path / "d.duckdb", customers=60, seed=1, end=END,
                    progress=lambda f, step: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_cli_writes_the_demo_and_refuses_bad_input(tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    assert main(["demo", "--db", str(path), "--customers", "60", "--end", "2026-11-25"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "60 customers" in out and "2026-06-01..2026-11-25" in out
    assert main(["demo", "--db", str(path), "--end", "25/11/2026"]) == 2
    assert main(["demo", "--db", str(path), "--customers", "5"]) == 2
    err = capsys.readouterr().err
    assert "25/11/2026" in err and "Traceback" not in err


def test_the_demo_ends_today_in_the_store_time_zone_by_default(tmp_path):
    path = tmp_path / "today.duckdb"
    demo.write_demo(path, customers=60, seed=3)
    con = open_db(path, read_only=True)
    try:
        last = one(con, "SELECT max(greatest(order_time, pay_time, signed_time))::DATE FROM orders")
    finally:
        con.close()
    assert last == demo.store_today()


def test_cli_default_is_the_demo_file_never_the_store(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INSIGHTS_DB", str(tmp_path / "store.duckdb"))
    monkeypatch.setenv("INSIGHTS_DEMO_DB", str(tmp_path / "demo.duckdb"))
    assert main(["demo", "--customers", "60", "--end", "2026-11-25"]) == 0
    assert (tmp_path / "demo.duckdb").exists() and not (tmp_path / "store.duckdb").exists()

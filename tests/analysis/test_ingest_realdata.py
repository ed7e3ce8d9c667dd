"""Done-when of issue 3: every real export imports through the CLI, losing no row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

from analysis import cli
from tests.conftest import REALDATA

# (file, kind, extra CLI arguments)
FILES = [
    ("tmall_order_report.csv", "orders", []),
    ("suning_iphone_comments_gbk.csv", "reviews", ["--map", "购买时间=review_time"]),
    ("jd_used_iphone_comments_noheader.csv", "reviews",
     ["--no-header", "--map", "1=item_title", "--map", "2=content", "--map", "3=rating",
      "--map", "4=review_time"]),
    ("waimai_10k.csv", "reviews", ["--map", "review=content"]),
    ("olist/olist_orders_dataset.csv", "orders", []),
    ("olist/olist_order_items_dataset.csv", "order_items", []),
    ("olist/olist_order_reviews_dataset.csv", "reviews", []),
    ("olist/olist_customers_dataset.csv", "contacts", ["--set", "source=member"]),
    ("online_retail_first8000.csv", "order_items", []),
    ("online_retail_first8000.csv", "orders", []),
    ("cfpb_complaints_sample_iso.csv", "tickets", []),
]


def _run(capsys, args) -> dict:
    assert cli.main(["import", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    if not REALDATA.is_dir():
        pytest.skip(f"real exports not found at {REALDATA}")
    db = tmp_path_factory.mktemp("real") / "store.duckdb"
    capture = pytest.MonkeyPatch()
    results, again = {}, {}
    out = io.StringIO()
    capture.setattr("sys.stdout", out)
    try:
        for name, kind, extra in FILES:
            for store in (results, again):
                out.seek(0)
                out.truncate()
                assert cli.main(["import", str(REALDATA / name), "--kind", kind, "--db", str(db),
                                 *extra, "--json"]) == 0
                store[(name, kind)] = json.loads(out.getvalue())
    finally:
        capture.undo()
    con = duckdb.connect(str(db), read_only=True)
    yield results, again, con
    con.close()


@pytest.mark.parametrize("name, kind, extra", FILES, ids=[f"{f}-{k}" for f, k, _ in FILES])
def test_every_row_accounted_for_and_reimport_is_noop(imported, name, kind, extra):
    results, again, _ = imported
    r = results[(name, kind)]
    assert r["already_imported"] is False
    assert r["rows_read"] > 0
    assert r["rows_read"] == r["inserted"] + r["updated"] + r["unchanged"] + r["rejected"]
    a = again[(name, kind)]
    assert a["already_imported"] is True
    assert a["rows_read"] == a["unchanged"] == r["rows_read"]
    assert a["inserted"] == a["updated"] == a["rejected"] == 0


def _csv_column(name, column, encoding="utf-8"):
    text = (REALDATA / name).read_text(encoding=encoding)
    return [row[column] for row in csv.DictReader(io.StringIO(text))]


def test_tmall_report_orders_without_customers(imported):
    results, _, con = imported
    r = results[("tmall_order_report.csv", "orders")]
    assert r["platform"] == "tmall" and r["rows_read"] == 28010 and r["rejected"] == 0
    assert r["mapping"]["买家实际支付金额"] == "paid_amount"
    n, no_customer, unpaid = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE customer_id IS NULL), "
        "count(*) FILTER (WHERE pay_time IS NULL) FROM orders WHERE import_id = ?",
        [r["import_id"]]).fetchone()
    assert n == 28010 and no_customer == 28010 and unpaid > 0


def test_olist_ids_are_byte_exact(imported):
    _, _, con = imported
    for name, table, column in [("olist/olist_orders_dataset.csv", "orders", "order_id"),
                                ("olist/olist_customers_dataset.csv", "contacts", "customer_id")]:
        expected = set(_csv_column(name, column))
        stored = {v for (v,) in con.execute(
            "SELECT COLUMNS(?) FROM query_table(?) WHERE COLUMNS(?) IN (SELECT unnest(?))",
            [column, table, column, sorted(expected)]).fetchall()}
        assert stored == expected


def test_olist_review_ids_repeat_across_orders_but_all_rows_kept(imported):
    results, _, con = imported
    r = results[("olist/olist_order_reviews_dataset.csv", "reviews")]
    pairs = set(zip(_csv_column("olist/olist_order_reviews_dataset.csv", "review_id"),
                    _csv_column("olist/olist_order_reviews_dataset.csv", "order_id")))
    assert r["inserted"] == len(pairs)
    assert con.execute("SELECT count(*) FROM reviews WHERE import_id = ?",
                       [r["import_id"]]).fetchone()[0] == len(pairs)


def test_suning_damaged_ids_nulled_and_warned(imported):
    results, _, _ = imported
    r = results[("suning_iphone_comments_gbk.csv", "reviews")]
    assert r["encoding"] == "gb18030"
    assert r["skipped"] > 0  # blank rows and repeated headers
    [warning] = [w for w in r["warnings"] if w["column"] == "用户ID"]
    assert warning["reason"] == "damaged_id_nulled" and warning["count"] > 0


def test_online_retail_float_customer_ids_fixed(imported):
    results, _, con = imported
    r = results[("online_retail_first8000.csv", "orders")]
    assert any(w["reason"] == "float_id_fixed" and w["column"] == "CustomerID" for w in r["warnings"])
    assert con.execute("SELECT count(*) FROM orders WHERE customer_id = '17850'").fetchone()[0] > 0
    invoices = set(_csv_column("online_retail_first8000.csv", "InvoiceNo"))
    stored = {v for (v,) in con.execute("SELECT DISTINCT order_id FROM order_items "
                                        "WHERE order_id IN (SELECT unnest(?))",
                                        [sorted(invoices)]).fetchall()}
    assert stored == invoices  # C-prefixed cancellations included


def test_cfpb_tickets(imported):
    results, _, con = imported
    r = results[("cfpb_complaints_sample_iso.csv", "tickets")]
    ids = _csv_column("cfpb_complaints_sample_iso.csv", "Complaint ID")
    assert r["rows_read"] == len(ids) and r["inserted"] == len(set(ids))
    assert con.execute("SELECT count(*) FROM tickets WHERE first_response_at IS NOT NULL"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT DISTINCT source FROM tickets").fetchall() == [("helpdesk",)]

"""The privacy.pseudonymise setting: customer ids hashed at import, nowhere stored raw."""

from __future__ import annotations

import pytest

from analysis import settings
from analysis.errors import UserError
from analysis.ingest import import_bytes
from analysis.ingest.pseudonym import SALT_ENV
from analysis.privacy import pseudonymise

# HMAC-SHA256("test-salt", id)[:20], computed once with Python's hmac module.
ALICE = "p_1654938623bb37d5ccc8"
BOB = "p_f351368a9e0cac1b6b42"
ALICE_ENV = "p_c044fd3e711dc2706219"  # with the salt "env-salt"

ORDERS = ("订单编号,买家会员名,会员名,备注,买家实际支付金额,订单付款时间\n"
          "3001234567890123456,tb_alice,tb_alice,回头客 tb_alice,10.00,2026-11-02 10:00:00\n"
          "3001234567890123457, tb_bob ,tb_bob,tb_bob,20.00,2026-11-03 10:00:00\n"
          "3001234567890123458,1.03531E+12,,,30.00,2026-11-04 10:00:00\n")
REVIEWS = ("评价内容,评价时间,评分,买家会员名,订单编号\n"
           "很好,2026-11-05 10:00:00,5,tb_alice,3001234567890123456\n")


@pytest.fixture
def pseudo_con(con, monkeypatch):
    monkeypatch.delenv(SALT_ENV, raising=False)
    settings.put(con, "privacy.pseudonymise", True)
    return con


def _text_values(con) -> list[str]:
    """Every VARCHAR and JSON value of every table, as text."""
    cols = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE data_type IN ('VARCHAR', 'JSON') AND table_schema = 'main'").fetchall()
    out = []
    for table, column in cols:
        out += [v for (v,) in con.execute(
            "SELECT CAST(COLUMNS(?) AS VARCHAR) AS v FROM query_table(?) WHERE COLUMNS(?) IS NOT NULL",
            [column, table, column]).fetchall()]
    return out


def test_same_id_same_pseudonym_across_files_and_no_raw_id_stored(pseudo_con):
    con = pseudo_con
    r = import_bytes(con, ORDERS.encode(), "orders.csv", "orders", salt="test-salt")
    assert r["inserted"] == 3
    import_bytes(con, REVIEWS.encode(), "reviews.csv", "reviews", salt="test-salt")
    assert con.execute("SELECT order_id, customer_id FROM orders ORDER BY 1").fetchall() == [
        ("3001234567890123456", ALICE), ("3001234567890123457", BOB),
        ("3001234567890123458", None)]
    assert ALICE == pseudonymise("tb_alice", "test-salt")
    joined = con.execute("SELECT o.order_id FROM orders o JOIN reviews v "
                         "ON v.customer_id = o.customer_id").fetchall()
    assert joined == [("3001234567890123456",)]
    # An unmapped account column is hashed too, and a copy of the id under another header,
    # alone or inside a text, is replaced by the pseudonym.
    extra = con.execute("SELECT extra->>'会员名', extra->>'备注' FROM orders "
                        "ORDER BY order_id").fetchall()
    assert extra == [(ALICE, "回头客 " + ALICE), (BOB, BOB), (None, None)]
    values = _text_values(con)
    assert len(values) > 20
    assert [v for v in values if "tb_alice" in v or "tb_bob" in v] == []
    warning = [w for w in r["warnings"] if w["reason"] == "damaged_id_nulled"]
    assert warning == [{"column": "买家会员名", "count": 1, "reason": "damaged_id_nulled",
                        "examples": []}]


def test_salt_from_environment(pseudo_con, monkeypatch):
    monkeypatch.setenv(SALT_ENV, "env-salt")
    import_bytes(pseudo_con, REVIEWS.encode(), "reviews.csv", "reviews")
    assert pseudo_con.execute("SELECT customer_id FROM reviews").fetchall() == [(ALICE_ENV,)]


def test_no_salt_refused_and_nothing_written(pseudo_con):
    with pytest.raises(UserError) as err:
        import_bytes(pseudo_con, ORDERS.encode(), "orders.csv", "orders")
    assert err.value.key == "ingest.pseudonym_salt_missing"
    assert pseudo_con.execute("SELECT count(*) FROM orders").fetchone() == (0,)
    assert pseudo_con.execute("SELECT count(*) FROM imports").fetchone() == (0,)


def test_rejected_key_value_not_reported_when_pseudonymising(pseudo_con):
    data = "买家会员名,来源\nt***3,member\ntb_carol,member\n"
    r = import_bytes(pseudo_con, data.encode(), "members.csv", "contacts", salt="test-salt")
    assert r["inserted"] == 1 and r["rejected"] == 1
    assert r["rejections"] == [{"line": 2, "column": "买家会员名", "value": None,
                                "reason": "masked_id"}]


def test_off_by_default_keeps_ids_as_exported(con):
    import_bytes(con, REVIEWS.encode(), "reviews.csv", "reviews", salt="test-salt")
    assert con.execute("SELECT customer_id FROM reviews").fetchall() == [("tb_alice",)]

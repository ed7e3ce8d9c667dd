"""Value cleaning, date order, aliases and fingerprints, preview."""

from __future__ import annotations

import duckdb
import pytest

from analysis.errors import UserError
from analysis.ingest import aliases, clean, preview


@pytest.fixture
def sql():
    c = duckdb.connect()
    clean.install(c)

    def run(expr, value):
        return c.execute(f"SELECT {expr}", [value]).fetchone()[0]

    yield run
    c.close()


@pytest.mark.parametrize("raw, expected", [
    ('="3001234567890123456"', "3001234567890123456"),
    ("'3001234567890123456", "3001234567890123456"),
    ("\t3001234567890123456", "3001234567890123456"),
    ("  abc  ", "abc"),
    ("   ", None),
    # First and last characters on either side of the quick "plain" tests (CJK, ASCII).
    ("\u3000浙江省\u3000", "浙江省"), ("\u00a0x\u00a0", "x"), ("\u2003a b\u200a", "a b"),
    ("店铺\u3001", "店铺\u3001"), ("=1", "=1"), ("'abc'", "abc'"), ("~z~", "~z~"),
    ("(1)", "(1)"), ("\u00a1é\u009f", "\u00a1é\u009f"),
])
def test_text_guards_removed(sql, raw, expected):
    assert sql("ing_text(?)", raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("¥1,299.00", "1299.00"), ("￥59.9", "59.90"), ("128元", "128.00"), ("-5", "-5.00"),
    ("abc", None), ("1,299.00", "1299.00"), ("12,5", "125.00"), ("59.90", "59.90"),
    (",", None),
])
def test_amounts(sql, raw, expected):
    value = sql("ing_amount(?)", raw)
    assert (None if value is None else str(value)) == expected


@pytest.mark.parametrize("raw, expected", [
    ("5", 5), ("1", 1), ("好评", 5), ("中评", 3), ("差评", 1), ("6", None), ("0", None),
    ("great", None), ("4.5", None),
])
def test_ratings(sql, raw, expected):
    assert sql("ing_rating(?)", raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("17850.0", "float"), ("1.03531E+12", "damaged"), ("t***3", "masked"),
    ("3001234567890123456", None), ("tb_buyer.01", None),
])
def test_id_states(sql, raw, expected):
    assert sql("ing_id_state(?)", raw) == expected


@pytest.mark.parametrize("raw, expected", [("是", True), ("否", False), ("yes", True), ("maybe", None)])
def test_booleans(sql, raw, expected):
    assert sql("ing_bool(?)", raw) == expected


@pytest.mark.parametrize("raw, day_first, expected", [
    ("2026-11-02 13:05:00", False, "2026-11-02 13:05:00"),
    ("2026/11/2 13:05", False, "2026-11-02 13:05:00"),
    ("11/02/2026 01:05:00 PM", False, "2026-11-02 13:05:00"),
    ("11/02/2026 01:05:00 PM", True, "2026-02-11 13:05:00"),
    ("2026年11月2日", False, "2026-11-02 00:00:00"),
    ("not a date", False, None),
])
def test_dates(sql, raw, day_first, expected):
    expr = clean.typed_expr("order_time", "v", day_first=day_first)
    value = sql(f"(SELECT {expr} FROM (SELECT CAST(? AS VARCHAR) AS v))", raw)
    assert (None if value is None else value.strftime("%Y-%m-%d %H:%M:%S")) == expected


def test_day_order_decided_by_whole_column():
    # (short dates, month-first only, day-first only)
    assert clean.decide_day_first((3, 0, 1), None) == (True, False)
    assert clean.decide_day_first((3, 2, 0), None) == (False, False)
    assert clean.decide_day_first((3, 0, 0), None) == (False, True)  # ambiguous: month-first
    assert clean.decide_day_first((3, 0, 0), True) == (True, False)  # the page asked
    assert clean.decide_day_first((0, 0, 0), None) == (False, False)  # year-first only


def test_aliases_and_fingerprints():
    headers = ["订单编号", "总金额", "买家实际支付金额", "买家会员名", "收货地址 "]
    mapping = aliases.propose_mapping("orders", headers)
    assert mapping == {0: "order_id", 2: "paid_amount", 3: "customer_id", 4: "address"}
    assert aliases.detect_platform(headers) == "taobao"
    assert aliases.detect_platform(["订单号", "下单帐号", "京东价", "订购数量"]) == "jd"
    assert aliases.detect_platform(["商家实收金额(元)", "订单成交时间", "商品数量(件)"]) == "pdd"
    # One header never decides: a Tmall 2021 report has 主订单编号 too.
    assert aliases.detect_platform(["主订单编号"]) is None
    assert aliases.detect_platform(["商家实收金额(元)"]) is None
    assert aliases.detect_platform(["foo"]) is None
    # the user's map wins over aliases
    assert aliases.propose_mapping("orders", headers, {"总金额": "paid_amount"})[1] == "paid_amount"


def test_ticket_source_from_export_type():
    assert aliases.ticket_source(["退款编号", "订单编号"]) == "refund"
    assert aliases.ticket_source(["服务单号"]) == "after_sales"
    assert aliases.ticket_source(["工单号"]) == "helpdesk"


def test_preview_proposes_mapping_and_flags_ambiguous_dates():
    text = "导出时间: 2026-11-03\n订单编号,下单时间,备注\n1001,03/04/2026,a\n1002,05/06/2026,b\n"
    p = preview(text.encode("utf-8"), "o.csv", "orders")
    assert p.encoding == "utf-8"
    assert p.headers == ["订单编号", "下单时间", "备注"]
    assert p.proposed_mapping == {"订单编号": "order_id", "下单时间": "order_time"}
    assert p.unmapped == ["备注"]
    assert p.missing_required == []
    assert p.ambiguous_date_columns == ["下单时间"]
    assert list(p.sample["订单编号"]) == ["1001", "1002"]


def test_preview_reports_missing_key():
    p = preview("foo,bar\n1,2\n".encode(), "x.csv", "orders")
    assert p.missing_required == ["order_id"]


@pytest.mark.parametrize("data, key", [
    (b"", "ingest.empty_file"), (b"  \n\n", "ingest.empty_file"),
    ("订单编号,下单时间\n".encode(), "ingest.header_only"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ingest.binary_file"),
])
def test_preview_refuses_unreadable(data, key):
    with pytest.raises(UserError) as err:
        preview(data, "f.csv", "orders")
    assert err.value.key == key

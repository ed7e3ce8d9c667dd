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
    # 12,5 was 125.00 (every comma dropped); a comma before one or two last digits is a
    # decimal comma, never thousands.
    ("abc", None), ("1,299.00", "1299.00"), ("12,5", "12.50"), ("59.90", "59.90"),
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


@pytest.mark.parametrize("raw, expected", [
    # negatives: accounting brackets, trailing minus, full-width and Unicode minus signs
    ("(39.00)", "-39.00"), ("39.00-", "-39.00"), ("－39", "-39.00"), ("−39", "-39.00"),
    ("-39", "-39.00"), ("(¥39.00)", "-39.00"),
    # full-width digits and point
    ("３９．００", "39.00"), ("￥１，２９９．００", "1299.00"),
    # European grouping: dot or space thousands, comma decimals
    ("1.299,00", "1299.00"), ("1 299,00", "1299.00"), ("1\u00a0299,00", "1299.00"),
    ("1\u202f299,50", "1299.50"), ("39,00", "39.00"), ("1.299.000", "1299000.00"),
    ("12.345,6", "12345.60"),
    # US grouping stays as it was
    ("1,299.00", "1299.00"), ("1,299", "1299.00"), ("12,345,678.90", "12345678.90"),
    ("RMB 39", "39.00"), ("39元", "39.00"), ("0.125", "0.13"),
    # ambiguous or malformed: NULL, never a wrong number
    ("1.299", None), ("12.345", None), ("1,2,3", None), ("1,29.00", None), ("1.2,3.4", None),
    ("-", None), ("--", None), ("null", None), ("(", None), ("()", None),
])
def test_amount_spellings(sql, raw, expected):
    value = sql("ing_amount(?)", raw)
    assert (None if value is None else str(value)) == expected


@pytest.mark.parametrize("raw, expected", [
    ("★★★★☆", 4), ("★★★★★", 5), ("★☆☆☆☆", 1), ("★", 1), ("☆☆☆☆☆", None), ("★★★★★★", None),
    ("五星", 5), ("四星", 4), ("三星", 3), ("二星", 2), ("两星", 2), ("一星", 1),
    ("5星", 5), ("5 星", 5), ("4分", 4), ("5.0", 5), ("5.0分", 5), ("３", 3), ("3颗星", 3),
    ("满意", 5), ("一般", 3), ("不满意", 1), ("非常满意", 5), ("非常不满意", 1),
    ("好评", 5), ("中评", 3), ("差评", 1), ("系统默认好评", 5), ("默认好评", 5),
    ("4.5", None), ("6星", None), ("零星", None), ("还行吧", None),
])
def test_rating_spellings(sql, raw, expected):
    assert sql("ing_rating(?)", raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("系统默认好评", True), ("默认好评", True), ("好评", False), ("5", False), (None, None),
])
def test_default_review(sql, raw, expected):
    assert sql("ing_default_review(?)", raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("3001234567890123456.0", "damaged"), ("1234567890123456.00", "damaged"),
    ("123456789012345.0", "float"), ("-17850.0", "float"),
])
def test_float_ids_past_double_precision_are_damaged(sql, raw, expected):
    assert sql("ing_id_state(?)", raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("小二已介入", True), ("已介入", True), ("客服介入中", True), ("小二介入中", True),
    ("申请小二介入", True), ("需要", True), ("YES", True), ("True", True), ("1", True), ("有", True),
    ("不需要", False), ("无需介入", False), ("未介入", False), ("小二未介入", False),
    ("否", False), ("无", False), ("NO", False), ("0", False), ("没有", False),
    ("待定", None), ("-", None),
])
def test_boolean_spellings(sql, raw, expected):
    assert sql("ing_bool(?)", raw) == expected


@pytest.mark.parametrize("raw", list(clean.PLACEHOLDERS))
def test_placeholders(sql, raw):
    assert sql("ing_placeholder(?)", raw) is True
    assert sql("ing_placeholder_typed(?)", raw) is True


@pytest.mark.parametrize("raw, anywhere, typed", [
    ("无", False, True),  # a word in a text (无异味), a placeholder only where a type is wanted
    ("无异味", False, False), ("-1", False, False), ("nulls", False, False), ("N", False, False),
    ("0000-00-01", False, False), ("空调", False, False), (None, False, False),
])
def test_not_placeholders(sql, raw, anywhere, typed):
    assert sql("ing_placeholder(?)", raw) is anywhere
    assert sql("ing_placeholder_typed(?)", raw) is typed


@pytest.mark.parametrize("raw", ["-", "null", "空", "none", "N/A", " - ", "='-'", "\u3000空",
                                 "3001", "abc", "Nike", "0.5", "", "无"])
def test_placeholder_test_gated_by_first_code_point_agrees(sql, raw):
    # Staging tests placeholders only when the raw value's first code point could start one
    # or the value needed cleaning; that must agree with the full test of the cleaned text.
    gated = clean.placeholder_sql("ing_text(v)", "ord(v)")
    assert sql(f"(SELECT {gated} FROM (SELECT CAST(? AS VARCHAR) AS v))", raw) \
        is sql("coalesce(ing_placeholder(ing_text(?)), false)", raw)


def test_nul_characters_removed(sql):
    assert sql("ing_text(?)", "a\x00b") == "ab"
    assert sql("ing_text(?)", "\x00") is None
    assert sql("ing_text_slow(?)", " \x00x\x00 ") == "x"


@pytest.mark.parametrize("raw, day_first, expected", [
    ("2026-11-02 13:05:00", False, "2026-11-02 13:05:00"),
    ("2026/11/2 13:05", False, "2026-11-02 13:05:00"),
    ("11/02/2026 01:05:00 PM", False, "2026-11-02 13:05:00"),
    ("11/02/2026 01:05:00 PM", True, "2026-02-11 13:05:00"),
    ("2026年11月2日", False, "2026-11-02 00:00:00"),
    ("not a date", False, None),
    # digits only: compact dates, epoch seconds and milliseconds (UTC, shown in Shanghai)
    ("20261102", False, "2026-11-02 00:00:00"), ("20261102130500", False, "2026-11-02 13:05:00"),
    ("202611021305", False, "2026-11-02 13:05:00"), ("2026110213:05", False, None),
    ("1793595900", False, "2026-11-02 13:05:00"), ("1793595900000", True, "2026-11-02 13:05:00"),
    ("20261332", False, None),
    # 上午/下午/中午/晚上
    ("2026/11/2 下午1:05", False, "2026-11-02 13:05:00"),
    ("2026/11/2 上午12:05", False, "2026-11-02 00:05:00"),
    ("2026/11/2 上午9:05:30", False, "2026-11-02 09:05:30"),
    ("2026/11/2 中午12:30", False, "2026-11-02 12:30:00"),
    ("2026/11/2 晚上8:05", False, "2026-11-02 20:05:00"),
    ("2026-11-02 下午01:05:00", False, "2026-11-02 13:05:00"),
    ("2026年11月2日 下午1:05", False, "2026-11-02 13:05:00"),
    ("11/2/2026 下午1:05", False, "2026-11-02 13:05:00"),
    ("2/11/2026 下午1:05", True, "2026-11-02 13:05:00"),
    # ISO 8601 with a zone: converted to the store's time (Asia/Shanghai)
    ("2026-11-02T05:05:00Z", False, "2026-11-02 13:05:00"),
    ("2026-11-02T05:05:00+00:00", False, "2026-11-02 13:05:00"),
    ("2026-11-02T13:05:00+0800", False, "2026-11-02 13:05:00"),
    ("2026-11-02T13:05:00+08", False, "2026-11-02 13:05:00"),
    ("2026-11-02T00:05:00-05:00", False, "2026-11-02 13:05:00"),
    ("2026-11-02T05:05Z", False, "2026-11-02 13:05:00"),
    ("2026-11-02T05:05:00.000Z", False, "2026-11-02 13:05:00"),
    ("2026-11-02 05:05:00 UTC", False, "2026-11-02 13:05:00"),
    # the short form with the year first, and two-digit years day- or month-first
    ("26-11-02", False, "2026-11-02 00:00:00"), ("26-11-02", True, "2026-11-02 00:00:00"),
    ("26-11-02 13:05", True, "2026-11-02 13:05:00"),
    ("11/02/26", False, "2026-11-02 00:00:00"), ("02/11/26", True, "2026-11-02 00:00:00"),
    # fractions of a second
    ("2026-11-02 13:05:00.000", False, "2026-11-02 13:05:00"),
    # placeholders and serial numbers outside a serial column are no dates
    ("0000-00-00", False, None), ("0000-00-00 00:00:00", False, None), ("46328", False, None),
])
def test_dates(sql, raw, day_first, expected):
    expr = clean.typed_expr("order_time", "v", day_first=day_first)
    value = sql(f"(SELECT {expr} FROM (SELECT CAST(? AS VARCHAR) AS v))", raw)
    assert (None if value is None else value.strftime("%Y-%m-%d %H:%M:%S")) == expected


@pytest.mark.parametrize("raw, expected", [
    ("46328", "2026-11-02 00:00:00"), ("46328.5443", "2026-11-02 13:03:48"),
    ("46328.545138889", "2026-11-02 13:05:00"), ("20000", "1954-10-03 00:00:00"),
    ("19999", None), ("80001", None), ("2026-11-02 13:05:00", "2026-11-02 13:05:00"),
])
def test_excel_serial_dates_in_a_serial_column(sql, raw, expected):
    expr = clean.typed_expr("order_time", "v", serial=True)
    value = sql(f"(SELECT {expr} FROM (SELECT CAST(? AS VARCHAR) AS v))", raw)
    assert (None if value is None else value.strftime("%Y-%m-%d %H:%M:%S")) == expected


def test_serial_column_decided_by_half_its_values():
    assert clean.decide_serial(2, 4) and clean.decide_serial(1, 1)
    assert not clean.decide_serial(1, 3) and not clean.decide_serial(0, 0)


def test_store_time_zone_is_a_checked_setting():
    c = duckdb.connect()
    clean.install(c, "UTC")
    assert str(c.execute("SELECT ing_ts_year_first('2026-11-02T05:05:00Z')").fetchone()[0]) \
        == "2026-11-02 05:05:00"
    assert str(c.execute("SELECT ing_ts_year_first('1793595900')").fetchone()[0]) \
        == "2026-11-02 05:05:00"
    for zone in ("Mars/Olympus", "Asia/Shanghai'; DROP TABLE x; --", ""):
        with pytest.raises(UserError) as err:
            clean.install(c, zone)
        assert err.value.key == "ingest.bad_timezone"
    c.close()


def test_short_year_first_dates_take_no_part_in_the_day_order_vote():
    c = duckdb.connect()
    c.execute("CREATE TABLE s AS SELECT * FROM (VALUES ('26-11-02'), ('26-11-03 10:00'), "
              "('03/04/2026')) v(t)")
    # Only 03/04/2026 is a short date, fitting both orders.
    assert c.execute(clean.date_order_sql(["t"], "s")).fetchone() == (1, 0, 0)
    c.close()


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

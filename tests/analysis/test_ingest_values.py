"""Values that do not parse and placeholders: stored as NULL and warned, never a lost row.

"A row is rejected only for its key or a required column. An optional value that does not
parse, or a placeholder, is stored as NULL and counted in ``warnings`` with examples."
"""

from __future__ import annotations

import pytest

from analysis import settings
from analysis.errors import UserError
from analysis.ingest import import_bytes

ID_A = "3001234567890123456"


def _balanced(r) -> None:
    assert r["rows_read"] == r["inserted"] + r["updated"] + r["unchanged"] + r["rejected"]


def _warnings(r, *, reasons=None) -> dict:
    """{(column, reason): (count, examples)} of the value warnings."""
    out = {(w["column"], w["reason"]): (w["count"], w["examples"]) for w in r["warnings"]}
    if reasons is not None:
        out = {k: v for k, v in out.items() if k[1] in reasons}
    return out


VALUE_REASONS = {"placeholder_nulled", "not_a_date", "not_a_number", "ambiguous_number",
                 "not_an_integer", "not_a_rating", "not_a_boolean"}


def _rows(con, sql):
    return [tuple(None if v is None else str(v) for v in row)
            for row in con.execute(sql).fetchall()]


def test_optional_values_that_do_not_parse_are_null_and_warned(con):
    # (Most values of each column fit: a column mostly of other things is not mapped.)
    good = "".join(f"{i},tb{i},2026-11-02 13:05:00,59.90,1\n" for i in range(10, 20))
    data = ("订单编号,买家会员名,下单时间,实付金额,宝贝总数量\n" + good +
            "2,tb2,not a date,abc,x\n"
            "3,tb3,2026-13-45,12元5角,2.5\n"
            "4,tb4,not a date,abc,x\n"
            "5,tb5,someday,n/a?,many\n"
            "6,tb6,never,zzz,lots\n").encode()
    r = import_bytes(con, data, "o.csv", "orders")
    _balanced(r)
    assert (r["rows_read"], r["inserted"], r["rejected"], r["rejections"]) == (15, 15, 0, [])
    assert _warnings(r) == {
        ("下单时间", "not_a_date"): (5, ["not a date", "2026-13-45", "someday"]),
        ("实付金额", "not_a_number"): (5, ["abc", "12元5角", "n/a?"]),
        ("宝贝总数量", "not_an_integer"): (5, ["x", "2.5", "many"]),
    }
    assert _rows(con, "SELECT order_id, customer_id, order_time, paid_amount, quantity "
                      "FROM orders WHERE length(order_id) = 1 ORDER BY order_id") == [
        ("2", "tb2", None, None, None), ("3", "tb3", None, None, None),
        ("4", "tb4", None, None, None), ("5", "tb5", None, None, None),
        ("6", "tb6", None, None, None)]
    assert con.execute("SELECT count(*) FROM orders WHERE order_time IS NOT NULL "
                       "AND paid_amount = 59.90 AND quantity = 1").fetchone() == (10,)


def test_placeholders_are_null_in_every_column_but_the_key(con):
    data = ("订单编号,买家会员名,下单时间,实付金额,宝贝总数量,宝贝标题,收货地址\n"
            "1,-,0000-00-00,-,-,-,null\n"
            "2,--,0000-00-00 00:00:00,—,N/A,NULL,None\n"
            "3,tb3,2026-11-02 10:00:00,空,无,无线耳机,无\n"
            "4,null,  -  ,   --,N/A,空,N/A\n").encode()
    r = import_bytes(con, data, "p.csv", "orders")
    _balanced(r)
    assert (r["inserted"], r["rejected"]) == (4, 0)
    assert _warnings(r) == {
        ("买家会员名", "placeholder_nulled"): (3, ["-", "--", "null"]),
        ("下单时间", "placeholder_nulled"): (3, ["0000-00-00", "0000-00-00 00:00:00", "-"]),
        ("实付金额", "placeholder_nulled"): (4, ["-", "—", "空"]),
        # 无 is a placeholder where a number is expected...
        ("宝贝总数量", "placeholder_nulled"): (4, ["-", "N/A", "无"]),
        ("宝贝标题", "placeholder_nulled"): (3, ["-", "NULL", "空"]),
        # ... but a word in a text.
        ("收货地址", "placeholder_nulled"): (3, ["null", "None", "N/A"]),
    }
    assert _rows(con, "SELECT order_id, customer_id, order_time, paid_amount, quantity, "
                      "item_title, address FROM orders ORDER BY 1") == [
        ("1", None, None, None, None, None, None), ("2", None, None, None, None, None, None),
        ("3", "tb3", "2026-11-02 10:00:00", None, None, "无线耳机", "无"),
        ("4", None, None, None, None, None, None)]


def test_only_the_key_rejects_a_row(con):
    data = ("订单编号,买家会员名,实付金额\n"
            f"{ID_A},tb1,10\n"
            ",tb2,abc\n"
            "-,tb3,10\n"
            "null,tb4,10\n"
            "1.03531E+12,tb5,10\n"
            f"{ID_A[:-1]}7.0,tb6,10\n"
            "t***3,tb7,10\n"
            "17850.0,tb8,abc\n").encode()
    r = import_bytes(con, data, "k.csv", "orders")
    _balanced(r)
    assert (r["rows_read"], r["inserted"], r["rejected"]) == (8, 2, 6)
    assert [(x["line"], x["value"], x["reason"]) for x in r["rejections"]] == [
        (3, None, "missing_key"), (4, "-", "missing_key"), (5, "null", "missing_key"),
        (6, "1.03531E+12", "damaged_id"), (7, f"{ID_A[:-1]}7.0", "damaged_id"),
        (8, "t***3", "masked_id")]
    assert {x["column"] for x in r["rejections"]} == {"订单编号"}
    # The rejected rows' values are not warned about; the kept row's are.
    assert _warnings(r, reasons=VALUE_REASONS) == {("实付金额", "not_a_number"): (1, ["abc"])}
    assert con.execute("SELECT order_id, paid_amount FROM orders ORDER BY 1").fetchall() == [
        ("17850", None), (ID_A, 10)]


def test_a_float_rendered_long_id_outside_the_key_is_damaged(con):
    data = f"订单编号,买家会员名\n1,{ID_A}.0\n2,17850.0\n".encode()
    r = import_bytes(con, data, "c.csv", "orders")
    _balanced(r)
    assert r["inserted"] == 2 and r["rejected"] == 0
    assert _warnings(r) == {("买家会员名", "damaged_id_nulled"): (1, [f"{ID_A}.0"]),
                            ("买家会员名", "float_id_fixed"): (1, ["17850.0"])}
    assert con.execute("SELECT order_id, customer_id FROM orders ORDER BY 1").fetchall() == [
        ("1", None), ("2", "17850")]


def test_reviews_keep_their_text_when_rating_or_time_do_not_parse(con):
    data = ("评价ID,评价内容,评价时间,评分\n"
            "r1,很好,2026-11-02 10:00:00,★★★★☆\n"
            "r2,物流慢,昨天,不好说\n"
            "r3,一般般,-,一般\n"
            "r4,-,2026-11-02 11:00:00,五星\n"
            ",还可以,2026-11-02 12:00:00,4分\n"
            ",,,5\n"
            "-,-,-,好评\n"
            ",默认好评,2026-11-03 12:00:00,系统默认好评\n").encode()
    r = import_bytes(con, data, "rv.csv", "reviews")
    _balanced(r)
    assert (r["rows_read"], r["inserted"], r["rejected"]) == (8, 6, 2)
    # None of review id, text and time: the only rows a review file rejects.
    assert [(x["line"], x["column"], x["reason"]) for x in r["rejections"]] == [
        (7, "评价ID", "missing_key"), (8, "评价ID", "missing_key")]
    assert _warnings(r) == {
        ("评价内容", "placeholder_nulled"): (1, ["-"]),
        ("评价时间", "not_a_date"): (1, ["昨天"]),
        ("评价时间", "placeholder_nulled"): (1, ["-"]),
        ("评分", "not_a_rating"): (1, ["不好说"]),
    }
    assert set(_rows(con, "SELECT review_id, content, review_time, rating FROM reviews")) == {
        ("r4", None, "2026-11-02 11:00:00", "5"),
        ("r3", "一般般", None, "3"),
        (None, "默认好评", "2026-11-03 12:00:00", "5"),
        ("r1", "很好", "2026-11-02 10:00:00", "4"),
        ("r2", "物流慢", None, None),
        (None, "还可以", "2026-11-02 12:00:00", "4")}


def test_a_review_whose_time_fails_once_typed_is_rejected_without_text(con):
    # Day-first or month-first dates are typed after the whole column is seen: a review
    # with no text whose date then fails has nothing left and is rejected then.
    data = "评价内容,评价时间,评分\n,13/13/2026,5\n好,13/13/2026,5\n,25/12/2026,4\n".encode()
    r = import_bytes(con, data, "rv.csv", "reviews")
    _balanced(r)
    assert (r["inserted"], r["rejected"]) == (2, 1)
    assert [(x["line"], x["reason"]) for x in r["rejections"]] == [(2, "missing_key")]
    assert _warnings(r) == {("评价时间", "not_a_date"): (1, ["13/13/2026"])}
    assert _rows(con, "SELECT content, review_time FROM reviews ORDER BY 2 NULLS FIRST") == [
        ("好", None), (None, "2026-12-25 00:00:00")]


@pytest.mark.parametrize("raw, expected", [
    ("★★★★☆", 4), ("★★★★★", 5), ("五星", 5), ("两星", 2), ("5星", 5), ("5分", 5), ("5.0", 5),
    ("满意", 5), ("一般", 3), ("不满意", 1), ("非常满意", 5), ("非常不满意", 1), ("好评", 5),
    ("中评", 3), ("差评", 1), ("系统默认好评", 5), ("默认好评", 5),
])
def test_rating_spellings_imported(con, raw, expected):
    data = f"评价内容,评分\n好,{raw}\n".encode()
    r = import_bytes(con, data, "rv.csv", "reviews")
    assert r["inserted"] == 1 and r["warnings"] == []
    assert con.execute("SELECT rating FROM reviews").fetchall() == [(expected,)]


def test_dates_in_every_spelling(con):
    data = ("订单编号,下单时间\n"
            "1,20261102\n2,20261102130500\n3,1793595900\n4,1793595900000\n"
            "5,2026/11/2 下午1:05\n6,2026/11/2 上午12:05\n7,2026年11月2日 下午1:05\n"
            "8,2026-11-02T05:05:00Z\n9,2026-11-02T05:05:00+00:00\n10,2026-11-02T13:05:00+0800\n"
            "11,26-11-02\n12,2026-11-02 13:05:00.000\n13,2026110213:05\n").encode()
    r = import_bytes(con, data, "d.csv", "orders")
    _balanced(r)
    assert r["inserted"] == 13
    assert _warnings(r) == {("下单时间", "not_a_date"): (1, ["2026110213:05"])}
    assert dict(_rows(con, "SELECT order_id, order_time FROM orders")) == {
        "1": "2026-11-02 00:00:00", "2": "2026-11-02 13:05:00", "3": "2026-11-02 13:05:00",
        "4": "2026-11-02 13:05:00", "5": "2026-11-02 13:05:00", "6": "2026-11-02 00:05:00",
        "7": "2026-11-02 13:05:00", "8": "2026-11-02 13:05:00", "9": "2026-11-02 13:05:00",
        "10": "2026-11-02 13:05:00", "11": "2026-11-02 00:00:00", "12": "2026-11-02 13:05:00",
        "13": None}


def test_instants_are_stored_in_the_store_time_zone(con):
    settings.put(con, "timezone", "Europe/London")
    data = "订单编号,下单时间\n1,2026-11-02T05:05:00Z\n2,1793595900\n3,2026-11-02 05:05:00\n".encode()
    r = import_bytes(con, data, "z.csv", "orders")
    assert r["inserted"] == 3 and r["warnings"] == []
    # Instants become London time; a local time without a zone stays as it is.
    assert _rows(con, "SELECT order_id, order_time FROM orders ORDER BY 1") == [
        ("1", "2026-11-02 05:05:00"), ("2", "2026-11-02 05:05:00"), ("3", "2026-11-02 05:05:00")]


def test_an_unknown_time_zone_setting_is_one_user_error(con):
    settings.put(con, "timezone", "Mars/Olympus")
    with pytest.raises(UserError) as err:
        import_bytes(con, "订单编号\n1\n".encode(), "z.csv", "orders")
    assert err.value.key == "ingest.bad_timezone"
    assert con.execute("SELECT count(*) FROM orders").fetchone() == (0,)


def test_short_year_first_dates_do_not_flip_the_day_order(con):
    # 26-11-02 would be "day 26" and decide day-first; it is year-first, so 03/04/2026 and
    # 05/06/2026 stay ambiguous and are read month-first, with the warning.
    data = "订单编号,下单时间\n1,03/04/2026\n2,26-11-02\n3,05/06/2026\n".encode()
    r = import_bytes(con, data, "d.csv", "orders")
    assert [w["reason"] for w in r["warnings"]] == ["ambiguous_dates_month_first"]
    assert _rows(con, "SELECT order_id, order_time FROM orders ORDER BY 1") == [
        ("1", "2026-03-04 00:00:00"), ("2", "2026-11-02 00:00:00"), ("3", "2026-05-06 00:00:00")]


def test_excel_serial_dates_read_in_a_column_of_them(con):
    data = ("订单编号,下单时间,付款时间\n"
            "1,46328,2026-11-02 10:00:00\n"
            "2,46328.5443,46328\n"
            "3,2026-11-02 10:00:00,2026-11-03 10:00:00\n"
            "4,46329,2026-11-04 10:00:00\n"
            "5,12345,2026-11-05 10:00:00\n").encode()
    r = import_bytes(con, data, "x.csv", "orders")
    _balanced(r)
    # 下单时间 is mostly serials (12345 is out of their range); in 付款时间 a lone number is
    # not a date.
    assert _warnings(r) == {("下单时间", "not_a_date"): (1, ["12345"]),
                            ("付款时间", "not_a_date"): (1, ["46328"])}
    assert _rows(con, "SELECT order_id, order_time, pay_time FROM orders ORDER BY 1") == [
        ("1", "2026-11-02 00:00:00", "2026-11-02 10:00:00"),
        ("2", "2026-11-02 13:03:48", None),
        ("3", "2026-11-02 10:00:00", "2026-11-03 10:00:00"),
        ("4", "2026-11-03 00:00:00", "2026-11-04 10:00:00"),
        ("5", None, "2026-11-05 10:00:00")]


def test_amounts_in_every_spelling(con):
    data = ("订单编号,实付金额\n"
            '1,(39.00)\n2,39.00-\n3,－39\n4,−39\n5,３９．００\n6,"1.299,00"\n7,"1 299,00"\n'
            '8,"1,299.00"\n9,1.299\n10,"1,2,3"\n11,¥59.90\n').encode()
    r = import_bytes(con, data, "a.csv", "orders")
    _balanced(r)
    assert r["inserted"] == 11
    assert _warnings(r) == {("实付金额", "ambiguous_number"): (1, ["1.299"]),
                            ("实付金额", "not_a_number"): (1, ["1,2,3"])}
    assert dict(_rows(con, "SELECT order_id, paid_amount FROM orders")) == {
        "1": "-39.00", "2": "-39.00", "3": "-39.00", "4": "-39.00", "5": "39.00",
        "6": "1299.00", "7": "1299.00", "8": "1299.00", "9": None, "10": None, "11": "59.90"}


def test_intervention_booleans_of_refund_exports(con):
    data = ("退款编号,是否小二介入,退款金额\n"
            "R1,小二已介入,1\nR2,已介入,1\nR3,客服介入中,1\nR4,需要,1\nR5,不需要,1\n"
            "R6,无需介入,1\nR7,未介入,1\nR8,否,1\nR9,看情况,1\nR10,无,1\nR11,-,1\n").encode()
    r = import_bytes(con, data, "t.csv", "tickets")
    _balanced(r)
    assert r["inserted"] == 11
    assert _warnings(r) == {("是否小二介入", "not_a_boolean"): (1, ["看情况"]),
                            ("是否小二介入", "placeholder_nulled"): (1, ["-"])}
    assert dict(con.execute("SELECT ticket_id, escalated FROM tickets").fetchall()) == {
        "R1": True, "R2": True, "R3": True, "R4": True, "R5": False, "R6": False,
        "R7": False, "R8": False, "R9": None, "R10": False, "R11": None}


def test_many_bad_values_counted_with_three_examples(con):
    rows = "".join(f"{i},bad{i % 5}\n" for i in range(1, 1001))
    r = import_bytes(con, ("订单编号,实付金额\n" + rows).encode(), "m.csv", "orders")
    _balanced(r)
    assert r["inserted"] == 1000 and r["rejected"] == 0
    assert _warnings(r) == {("实付金额", "not_a_number"): (1000, ["bad1", "bad2", "bad3"])}


def test_placeholder_customer_ids_are_warned_without_examples_when_pseudonymised(con):
    settings.put(con, "privacy.pseudonymise", True)
    data = "订单编号,买家会员名\n1,tb_alice\n2,-\n".encode()
    r = import_bytes(con, data, "o.csv", "orders", salt="test-salt")
    assert r["inserted"] == 2
    assert _warnings(r) == {("买家会员名", "placeholder_nulled"): (1, [])}
    assert con.execute("SELECT order_id, customer_id IS NULL FROM orders ORDER BY 1"
                       ).fetchall() == [("1", False), ("2", True)]


def test_reimport_of_a_file_with_warnings_is_a_noop(con):
    data = "订单编号,实付金额\n1,abc\n2,-\n3,5\n4,6\n".encode()
    first = import_bytes(con, data, "w.csv", "orders")
    assert len(first["warnings"]) == 2
    again = import_bytes(con, data, "w.csv", "orders")
    assert again["already_imported"] is True and again["unchanged"] == 4
    _balanced(again)


def test_nul_characters_removed_from_every_value(con, tmp_path):
    # decode already drops NUL bytes of a CSV; staging removes any left (from other
    # sources) from every cell, extra columns included.
    from analysis.ingest import clean, stage
    from analysis.ingest.plan import make_plan

    path = tmp_path / "n.csv"
    path.write_bytes("订单编号,买家会员名,实付金额,备注\n1\x00,t\x00b,1\x000,a\x00\n2,\x00,5,x\n".encode())
    plan = make_plan("orders", ["订单编号", "买家会员名", "实付金额", "备注"])
    clean.install(con)
    stage.build_typed(con, str(path), plan, delimiter=",", skip=1, header_mode=True, nul=True)
    assert con.execute("SELECT order_id, customer_id, paid_amount, extra->>'备注' FROM ing_typed "
                       "ORDER BY 1").fetchall() == [("1", "tb", 10, "a"), ("2", None, 5, "x")]
    stage.drop_temp(con)

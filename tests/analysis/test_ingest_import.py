"""import_bytes: counts, keys, re-imports, deletes and every bad input of issue 3."""

from __future__ import annotations

import io

import pytest

from analysis.errors import UserError
from analysis.ingest import delete_import, import_bytes, import_history, save_profile, saved_profiles

ID_A = "3001234567890123456"
ID_B = "3001234567890123457"


def _counts(r):
    return {k: r[k] for k in ("rows_read", "inserted", "updated", "unchanged", "rejected", "skipped")}


def _snapshot(con):
    return [con.execute("SELECT * FROM query_table(?) ORDER BY ALL", [t]).fetchall()
            for t in ("orders", "reviews", "imports")]


def test_gb18030_guarded_ids_are_byte_exact(con):
    text = ("订单编号,买家会员名,订单付款时间,买家实际支付金额,总金额\r\n"
            f'"=""{ID_A}""",张三的店,2026/11/2 13:05,"¥1,299.00",1300\r\n'
            f"'{ID_B},李四,2026-11-03 08:00:00,59.9元,60\r\n")
    r = import_bytes(con, text.encode("gb18030"), "淘宝订单.csv", "orders")
    assert r["encoding"] == "gb18030" and r["platform"] == "taobao"
    assert _counts(r) == {"rows_read": 2, "inserted": 2, "updated": 0, "unchanged": 0,
                          "rejected": 0, "skipped": 0}
    rows = con.execute("SELECT order_id, customer_id, paid_amount, CAST(pay_time AS VARCHAR), "
                       "extra->>'总金额' FROM orders ORDER BY order_id").fetchall()
    assert [tuple(str(v) for v in row) for row in rows] == [
        (ID_A, "张三的店", "1299.00", "2026-11-02 13:05:00", "1300"),
        (ID_B, "李四", "59.90", "2026-11-03 08:00:00", "60"),
    ]
    assert r["mapping"]["买家实际支付金额"] == "paid_amount"  # preferred over 总金额


def test_reimport_same_file_is_a_noop(con):
    data = f"订单编号,实付金额\n{ID_A},10\n".encode()
    first = import_bytes(con, data, "a.csv", "orders")
    before = _snapshot(con)
    again = import_bytes(con, data, "a.csv", "orders")
    assert again["already_imported"] is True
    assert again["rows_read"] == 1 and again["unchanged"] == 1 and again["inserted"] == 0
    assert again["import_id"] == first["import_id"]
    assert _snapshot(con) == before


def test_import_file_answers_a_known_file_from_its_hash_alone(con, tmp_path, monkeypatch):
    import hashlib
    from pathlib import Path

    from analysis.ingest import import_file

    data = f"订单编号,实付金额\n{ID_A},10\n".encode()
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    first = import_file(con, path, "orders")
    assert first["sha256"] == hashlib.sha256(data).hexdigest() and first["inserted"] == 1
    before = _snapshot(con)

    def no_read(self):
        raise AssertionError("a file imported before is not read into memory")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    again = import_file(con, path, "orders")
    assert again["already_imported"] is True and again["import_id"] == first["import_id"]
    assert again["rows_read"] == 1 and again["unchanged"] == 1
    assert _snapshot(con) == before


def test_same_rows_in_another_file_are_unchanged_and_new_content_updates(con):
    import_bytes(con, f"订单编号,实付金额\n{ID_A},10\n{ID_B},20\n".encode(), "a.csv", "orders")
    r = import_bytes(con, f"订单编号,实付金额,备注\n{ID_A},10,\n{ID_B},25,\n".encode(), "b.csv",
                     "orders")
    # The new 备注 column is in extra, so both rows' content differs from before... except
    # that an empty 备注 is still a key in extra; compare a file with identical columns instead.
    assert r["rows_read"] == 2 and r["inserted"] == 0 and r["updated"] == 2
    r = import_bytes(con, f"订单编号,实付金额,备注\n{ID_A},10,\n{ID_B},30,\n".encode(), "c.csv",
                     "orders")
    assert _counts(r) == {"rows_read": 2, "inserted": 0, "updated": 1, "unchanged": 1,
                          "rejected": 0, "skipped": 0}
    assert con.execute("SELECT paid_amount FROM orders WHERE order_id = ?", [ID_B]).fetchone()[0] == 30


def test_same_key_twice_in_one_file_last_wins(con):
    data = f"订单编号,实付金额\n{ID_A},10\n{ID_A},10\n{ID_A},12\n".encode()
    r = import_bytes(con, data, "a.csv", "orders")
    assert _counts(r) == {"rows_read": 3, "inserted": 1, "updated": 1, "unchanged": 1,
                          "rejected": 0, "skipped": 0}
    assert con.execute("SELECT paid_amount FROM orders").fetchall() == [(12,)]


def test_delete_import_removes_only_inserted_rows_and_allows_reimport(con):
    import_bytes(con, f"订单编号,实付金额\n{ID_A},10\n".encode(), "a.csv", "orders")
    data = f"订单编号,实付金额\n{ID_A},11\n{ID_B},20\n".encode()
    second = import_bytes(con, data, "b.csv", "orders")
    out = delete_import(con, second["import_id"], deleted_by="op")
    assert out == {"import_id": second["import_id"], "kind": "orders", "deleted": 1,
                   "tables": {"orders": 1, "order_items": 0}}
    # ID_A existed before: the import updated it, so it stays (nothing restored).
    assert con.execute("SELECT order_id, paid_amount FROM orders").fetchall() == [(ID_A, 11)]
    hist = import_history(con)
    assert hist.loc[hist.import_id == second["import_id"], "deleted_by"].item() == "op"
    again = import_bytes(con, data, "b.csv", "orders")
    assert again["already_imported"] is False and again["inserted"] == 1
    with pytest.raises(UserError):
        delete_import(con, second["import_id"])


def test_reviews_key_review_id_with_order_id(con):
    data = ("review_id,order_id,review_score,review_comment_message\n"
            "r1,o1,5,好\nr1,o2,1,差\n").encode()
    r = import_bytes(con, data, "rv.csv", "reviews")
    assert r["inserted"] == 2
    assert con.execute("SELECT review_key, rating FROM reviews ORDER BY 1").fetchall() == [
        ("r1|o1", 5), ("r1|o2", 1)]


def test_reviews_without_ids_use_stable_hash_and_keep_placeholders(con):
    data = "评价内容,评价时间,评分\n此用户未及时填写评价内容,2026-11-02 10:00:00,好评\n很好,2026-11-02 11:00:00,差评\n"
    r = import_bytes(con, data.encode("utf-8-sig"), "rv.csv", "reviews")
    assert r["encoding"] == "utf-8-sig" and r["inserted"] == 2
    assert con.execute("SELECT content, rating FROM reviews ORDER BY rating").fetchall() == [
        ("很好", 1), ("此用户未及时填写评价内容", 5)]
    r = import_bytes(con, (data + "\n").encode("utf-8-sig"), "rv2.csv", "reviews")
    assert r["unchanged"] == 2 and r["skipped"] == 1


def test_rejections_name_physical_lines(con):
    data = ('订单编号,实付金额,备注\n'
            '1,10,"two\nlines"\n'
            '\n'
            't***2,abc,x\n'
            '订单编号,实付金额,备注\n'
            '3,2026,x\n'
            '1.03531E+12,5,x\n'
            '4,5\n').encode()
    r = import_bytes(con, data, "r.csv", "orders")
    assert _counts(r) == {"rows_read": 5, "inserted": 2, "updated": 0, "unchanged": 0,
                          "rejected": 3, "skipped": 2}
    assert [(x["line"], x["column"], x["value"], x["reason"]) for x in r["rejections"]] == [
        (5, "订单编号", "t***2", "masked_id"),
        (8, "订单编号", "1.03531E+12", "damaged_id"),
        (9, None, None, "malformed_row:2_of_3_fields"),
    ]


@pytest.mark.parametrize("encoding,newline", [("utf-8", "\n"), ("gb18030", "\r\n")])
def test_rejection_lines_without_parsing_the_file_again(con, monkeypatch, encoding, newline):
    # One line per record: the line numbers come from the record positions alone, and they
    # are the ones the full parse gives (forced below on a second database).
    from analysis.db import memory_db
    from analysis.ingest import pipeline

    lines = ["订单导出", "订单编号,实付金额,备注", "1,10,x", "t***2,abc,x", "订单编号,实付金额,备注",
             "3,2026,x", "1.03531E+12,5,x", "4,5,x"]
    data = newline.join(lines).encode(encoding)
    r = import_bytes(con, data, "r.csv", "orders")
    expected = [(4, "订单编号", "t***2", "masked_id"), (7, "订单编号", "1.03531E+12", "damaged_id")]
    assert [(x["line"], x["column"], x["value"], x["reason"]) for x in r["rejections"]] == expected
    assert _counts(r) == {"rows_read": 5, "inserted": 3, "updated": 0, "unchanged": 0,
                          "rejected": 2, "skipped": 2}
    calls = []
    monkeypatch.setattr(pipeline, "_one_line_per_record", lambda *a: calls.append(a) and False)
    other = memory_db()
    try:
        slow = import_bytes(other, data, "r.csv", "orders")
    finally:
        other.close()
    assert calls and slow["rejections"] == r["rejections"] and _counts(slow) == _counts(r)


def test_rejection_lines_with_a_carriage_return_inside_a_value(con):
    # A lone CR may end a line too, so the lines are counted by parsing, as before the
    # shortcut (which, counting LFs only, would say line 3).
    data = '订单编号,实付金额,备注\n1,10,"a\rb"\nt***2,abc,x\n'.encode()
    r = import_bytes(con, data, "r.csv", "orders")
    assert [(x["line"], x["reason"]) for x in r["rejections"]] == [(4, "masked_id")]


def test_customer_ids_damaged_masked_and_float(con):
    data = "订单编号,买家会员名\n1,17850.0\n2,1.03531E+12\n3,t***3\n4,tb 01\n".encode()
    r = import_bytes(con, data, "c.csv", "orders")
    assert r["inserted"] == 4 and r["rejected"] == 0
    assert con.execute("SELECT order_id, customer_id FROM orders ORDER BY 1").fetchall() == [
        ("1", "17850"), ("2", None), ("3", None), ("4", "tb 01")]
    assert sorted((w["reason"], w["count"]) for w in r["warnings"]) == [
        ("damaged_id_nulled", 1), ("float_id_fixed", 1), ("masked_id_nulled", 1)]


def test_preamble_lines_are_skipped(con):
    data = "店铺订单导出\n导出时间：2026-11-03\n订单编号,实付金额\n1,10\n".encode()
    r = import_bytes(con, data, "p.csv", "orders")
    assert r["rows_read"] == 1 and r["inserted"] == 1 and r["skipped"] == 2


def test_ambiguous_dates_month_first_with_warning_or_as_asked(con):
    data = "订单编号,下单时间\n1,03/04/2026\n2,05/06/2026\n".encode()
    r = import_bytes(con, data, "d.csv", "orders")
    assert [w["reason"] for w in r["warnings"]] == ["ambiguous_dates_month_first"]
    assert str(con.execute("SELECT order_time FROM orders WHERE order_id='1'").fetchone()[0]) == "2026-03-04 00:00:00"
    r = import_bytes(con, data.replace(b"2026\n2", b"2026 \n2"), "d2.csv", "orders",
                     day_first={"下单时间": True})
    assert r["warnings"] == [] and r["updated"] == 2
    assert str(con.execute("SELECT order_time FROM orders WHERE order_id='1'").fetchone()[0]) == "2026-04-03 00:00:00"


def test_day_first_decided_by_one_unambiguous_value(con):
    data = "订单编号,下单时间\n1,03/04/2026\n2,25/06/2026\n".encode()
    r = import_bytes(con, data, "d.csv", "orders")
    assert r["warnings"] == []
    assert [str(v) for (v,) in con.execute("SELECT order_time FROM orders ORDER BY order_id").fetchall()] == [
        "2026-04-03 00:00:00", "2026-06-25 00:00:00"]


def test_tickets_from_tmall_refund_export(con):
    data = ("退款编号,订单编号,申请时间,退款完结时间,退款原因,是否小二介入,退款状态,退款金额\n"
            "R1,O1,2026-11-01 10:00:00,2026-11-02 10:00:00,质量问题,是,退款成功,¥99.00\n").encode()
    r = import_bytes(con, data, "refund.csv", "tickets")
    assert r["platform"] == "tmall" and r["inserted"] == 1
    assert con.execute("SELECT ticket_id, source, escalated, refund_amount, category FROM tickets"
                       ).fetchall() == [("R1", "refund", True, 99, "质量问题")]


def test_set_constants_and_no_header_map(con):
    data = "u1,2026-01-01\nu2,2026-01-02\n".encode()
    r = import_bytes(con, data, "m.csv", "contacts", no_header=True,
                     mapping={"1": "customer_id", "2": "first_seen"},
                     sets={"source": "member", "shop": "京东旗舰店"})
    assert r["inserted"] == 2 and r["mapping"] == {"1": "customer_id", "2": "first_seen"}
    assert con.execute("SELECT DISTINCT shop, source FROM contacts").fetchall() == [("京东旗舰店", "member")]


def test_province_from_address(con):
    # Up to 8 characters without spaces the address is the province; else its first word up
    # to the first 省/自治区/特别行政区/市 after its first character.
    data = ("订单编号,收货地址\n1,浙江省 杭州市 西湖区\n2,内蒙古自治区呼和浩特市\n"
            "3,上海市浦东新区张江高科技园区\n4,广东\n5,市中心市场大楼一层二号\n6,香港特别行政区九龙城区\n"
            "7,北京 朝阳区\n8,Springfield IL\n9,上海市浦东新区\n").encode()
    import_bytes(con, data, "p.csv", "orders")
    assert con.execute("SELECT order_id, province FROM orders ORDER BY 1").fetchall() == [
        ("1", "浙江省"), ("2", "内蒙古自治区"), ("3", "上海市"), ("4", "广东"), ("5", "市中心市"),
        ("6", "香港特别行政区"), ("7", None), ("8", None), ("9", "上海市浦东新区")]


def test_order_items_line_is_position_within_order(con):
    data = "订单编号,商品名称,单价\nA,x,1\nB,y,2\nA,z,3\n".encode()
    import_bytes(con, data, "i.csv", "order_items")
    assert con.execute("SELECT order_id, line, item_title FROM order_items ORDER BY 1, 2").fetchall() == [
        ("A", 1, "x"), ("A", 2, "z"), ("B", 1, "y")]


def test_xlsx_first_sheet(con):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["订单编号", "实付金额"])
    ws.append([ID_A, 12.5])
    buf = io.BytesIO()
    wb.save(buf)
    r = import_bytes(con, buf.getvalue(), "o.xlsx", "orders")
    assert r["inserted"] == 1
    assert con.execute("SELECT order_id, paid_amount FROM orders").fetchall() == [(ID_A, 12.5)]


def test_saved_profile_is_used_for_matching_headers(con):
    headers = ["单据号", "金额"]
    save_profile(con, "my erp", "orders", headers, {"单据号": "order_id", "金额": "paid_amount"})
    assert [p["name"] for p in saved_profiles(con, "orders")] == ["my erp"]
    r = import_bytes(con, "单据号,金额\n9,5\n".encode(), "erp.csv", "orders")
    assert r["mapping"] == {"单据号": "order_id", "金额": "paid_amount"} and r["inserted"] == 1


@pytest.mark.parametrize("data, kind, key", [
    (b"", "orders", "ingest.empty_file"),
    ("订单编号,实付金额\n".encode(), "orders", "ingest.header_only"),
    ("订单编号,实付金额\n\n\n".encode(), "orders", "ingest.header_only"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00", "orders", "ingest.binary_file"),
    ("评价内容,评分\n好,5\n".encode(), "tickets", "ingest.no_key"),
    ("a,b\n1,2\n".encode(), "orders", "ingest.no_key"),
])
def test_bad_input_is_one_user_error_and_db_unchanged(con, data, kind, key):
    import_bytes(con, "订单编号\n1\n".encode(), "seed.csv", "orders")
    before = _snapshot(con)
    with pytest.raises(UserError) as err:
        import_bytes(con, data, "bad.csv", kind)
    assert err.value.key == key
    assert "\n" not in err.value.message("zh") and "\n" not in str(err.value)
    assert _snapshot(con) == before

"""Hostile files a store operator really uploads: every one imports, losing no row, or is
refused in one line; never a traceback."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from analysis.errors import UserError
from analysis.ingest import import_bytes, import_file

ID_A = "3001234567890123456"
ID_B = "3001234567890123457"
HEADER = "订单编号,实付金额,备注"


def _imported(con, data: bytes, name: str = "o.csv", kind: str = "orders") -> dict:
    r = import_bytes(con, data, name, kind)
    assert r["rows_read"] == r["inserted"] + r["updated"] + r["unchanged"] + r["rejected"]
    return r


def _orders(con) -> list[tuple]:
    return [(o, None if a is None else str(a), n) for o, a, n in con.execute(
        "SELECT order_id, paid_amount, extra->>'备注' FROM orders ORDER BY order_id").fetchall()]


def _lines(r) -> list[tuple]:
    return [(x["line"], x["reason"]) for x in r["rejections"]]


def _reasons(r) -> list[tuple]:
    return [(w["reason"], w["count"], w["examples"]) for w in r["warnings"]]


def _counts(r) -> tuple:
    return r["rows_read"], r["inserted"], r["rejected"], r["skipped"]


# 1. Line ends ---------------------------------------------------------------------------

def test_mixed_lf_and_crlf_lines(con):
    data = f"{HEADER}\n1,10,a\r\n2,20,b\n1.03531E+12,5,c\r\n3,30,d\n".encode()
    r = _imported(con, data)
    assert _counts(r) == (4, 3, 1, 0)
    assert _lines(r) == [(4, "damaged_id")]
    assert _orders(con) == [("1", "10.00", "a"), ("2", "20.00", "b"), ("3", "30.00", "d")]


def test_mixed_line_ends_read_from_disk_are_written_out(con, tmp_path):
    path = tmp_path / "o.csv"
    path.write_bytes(f"{HEADER}\n1,10,a\r\n2,20,b\n".encode())
    r = import_file(con, path, "orders")
    assert _counts(r) == (2, 2, 0, 0) and r["encoding"] == "utf-8"
    assert _orders(con) == [("1", "10.00", "a"), ("2", "20.00", "b")]


def test_cr_only_file_of_an_old_mac(con):
    data = f'{HEADER}\r1,10,"x\ry"\r1.03531E+12,5,c\r2,20,b\r'.encode()
    r = _imported(con, data)
    assert _counts(r) == (3, 2, 1, 0)
    # The CR inside the quoted value stays in it, and counts as a line as everywhere else.
    assert _lines(r) == [(4, "damaged_id")]
    assert _orders(con) == [("1", "10.00", "x\ry"), ("2", "20.00", "b")]


def test_cr_cr_lf_is_one_line_end(con):
    data = f"{HEADER}\r\r\n1,10,a\r\r\n1.03531E+12,5,c\r\r\n2,20,b\r\r\n".encode()
    r = _imported(con, data)
    assert _counts(r) == (3, 2, 1, 0)
    assert _lines(r) == [(3, "damaged_id")]
    assert _orders(con) == [("1", "10.00", "a"), ("2", "20.00", "b")]


def test_lone_cr_inside_a_quoted_value_stays_in_it(con):
    # CRLF lines around it: the file must be made LF for DuckDB, the value kept.
    data = f'{HEADER}\r\n1,10,"a\rb"\r\n1.03531E+12,5,c\r\n2,20,x\r\n'.encode()
    r = _imported(con, data)
    assert _counts(r) == (3, 2, 1, 0)
    assert _lines(r) == [(4, "damaged_id")]
    assert _orders(con) == [("1", "10.00", "a\rb"), ("2", "20.00", "x")]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_lone_cr_inside_an_unquoted_value_stays_in_it(con, newline):
    lines = [HEADER, "1,10,a\rb", "1.03531E+12,5,c", "2,20,x"]
    r = _imported(con, (newline.join(lines) + newline).encode())
    assert _counts(r) == (3, 2, 1, 0)
    assert _lines(r) == [(4, "damaged_id")]
    assert _orders(con) == [("1", "10.00", "a\rb"), ("2", "20.00", "x")]


# 2. UTF-16 ------------------------------------------------------------------------------

UNICODE_TEXT = "订单编号\t买家会员名\t实付金额\r\n" f"{ID_A}\t张三\t10\r\n{ID_B}\t李四\t20.5\r\n"


@pytest.mark.parametrize("data", [
    UNICODE_TEXT.encode("utf-16"),  # what Excel's "Unicode text" writes: LE with a BOM
    b"\xfe\xff" + UNICODE_TEXT.encode("utf-16-be"),
    UNICODE_TEXT.encode("utf-16-le"),  # no BOM: NULs on every other byte tell
    UNICODE_TEXT.encode("utf-16-be"),
], ids=["le-bom", "be-bom", "le", "be"])
def test_utf16_unicode_text(con, data):
    r = _imported(con, data, "o.txt")
    assert r["encoding"] == "utf-16" and _counts(r) == (2, 2, 0, 0) and r["warnings"] == []
    assert con.execute("SELECT order_id, customer_id, CAST(paid_amount AS VARCHAR) FROM orders "
                       "ORDER BY 1").fetchall() == [(ID_A, "张三", "10.00"),
                                                    (ID_B, "李四", "20.50")]


# 3. GBK lines in a UTF-8 file -----------------------------------------------------------

def test_gbk_lines_in_a_utf8_file_are_decoded_by_line(con):
    data = (f"{HEADER}\n1,10,中文\n".encode() + "2,20,李四\n".encode("gbk")
            + "3,30,好\n".encode() + "4,40,张三\n".encode("gb18030"))
    r = _imported(con, data)
    assert r["encoding"] == "utf-8" and _counts(r) == (4, 4, 0, 0)
    assert _reasons(r) == [("lines_decoded_as_gb18030", 2, [3, 5])]
    assert _orders(con) == [("1", "10.00", "中文"), ("2", "20.00", "李四"),
                            ("3", "30.00", "好"), ("4", "40.00", "张三")]


def test_a_line_neither_utf8_nor_gbk_is_rejected_alone(con):
    data = (f"{HEADER}\n1,10,中文\n".encode() + "2,20,李四\n".encode("gbk")
            + b"3,30,\xff\xfe\x80\n" + "4,40,好\n".encode())
    r = _imported(con, data)
    # The blanked line is rejected, not skipped as an empty one.
    assert _counts(r) == (4, 3, 1, 0)
    assert _lines(r) == [(4, "undecodable_line")]
    assert r["rejections"][0]["column"] is None
    assert _reasons(r) == [("lines_decoded_as_gb18030", 1, [3])]
    assert _orders(con) == [("1", "10.00", "中文"), ("2", "20.00", "李四"), ("4", "40.00", "好")]


def test_a_gb18030_file_stays_a_gb18030_file(con):
    text = f"{HEADER}\n" + "".join(f"{i},{i}0,第{i}行\n" for i in range(1, 40)) + "40,400,ok\n"
    r = _imported(con, text.encode("gb18030"))
    assert r["encoding"] == "gb18030" and r["warnings"] == [] and _counts(r) == (40, 40, 0, 0)
    assert _orders(con)[:2] == [("1", "10.00", "第1行"), ("10", "100.00", "第10行")]


def test_utf8_lines_in_a_gb18030_file_are_decoded_by_line(con):
    text = f"{HEADER}\n" + "".join(f"{i},{i}0,第{i}行\n" for i in range(1, 9))
    data = text.encode("gb18030") + "9,90,价格€\n".encode()  # GB18030 cannot read this one
    r = _imported(con, data)
    assert r["encoding"] == "gb18030" and _counts(r) == (9, 9, 0, 0)
    assert _reasons(r) == [("lines_decoded_as_utf8", 1, [10])]
    assert _orders(con)[-1] == ("9", "90.00", "价格€")


# 4. A cut last character ----------------------------------------------------------------

def test_truncated_last_character_is_dropped(con):
    data = f"{HEADER}\n1,10,好\n2,20,好的".encode()[:-1]
    r = _imported(con, data)
    assert r["encoding"] == "utf-8" and _counts(r) == (2, 2, 0, 0)
    assert _reasons(r) == [("truncated_last_character", 1, [])]
    assert _orders(con) == [("1", "10.00", "好"), ("2", "20.00", "好")]


# 5. NUL bytes ---------------------------------------------------------------------------

def test_nul_bytes_are_removed_and_never_stay_in_ids(con):
    data = f"{HEADER}\n10\x0001,10,a\x00\n2,20,b\n".encode()
    r = _imported(con, data)
    assert _counts(r) == (2, 2, 0, 0)
    assert _reasons(r) == [("nul_bytes_removed", 2, [])]
    assert _orders(con) == [("1001", "10.00", "a"), ("2", "20.00", "b")]


def test_a_truly_binary_file_is_still_refused(con):
    with pytest.raises(UserError) as err:
        import_bytes(con, bytes(range(256)) * 8, "x.csv", "orders")
    assert err.value.key == "ingest.binary_file" and "\n" not in err.value.message("zh")


# 6. BOMs --------------------------------------------------------------------------------

@pytest.mark.parametrize("data, encoding", [
    (b"\xef\xbb\xbf\xef\xbb\xbf" + f"{HEADER}\n1,10,a\n".encode(), "utf-8-sig"),
    (b"\xef\xbb\xbf" + f"{HEADER}\n1,10,a\n".encode("utf-16"), "utf-16"),
    (b"\xef\xbb\xbf\xff\xfe" + f"{HEADER}\n1,10,a\n".encode(), "utf-8-sig"),
], ids=["double-bom", "bom-then-utf16", "bom-then-stray-utf16-bom"])
def test_extra_boms_are_stripped(con, tmp_path, data, encoding):
    path = tmp_path / "o.csv"
    path.write_bytes(data)
    r = import_file(con, path, "orders")
    assert r["encoding"] == encoding and r["mapping"]["订单编号"] == "order_id"
    assert _counts(r) == (1, 1, 0, 0)
    assert _orders(con) == [("1", "10.00", "a")]


# 7. .xlsx -------------------------------------------------------------------------------

def _xlsx(sheets: dict[str, list[list]], merge: dict[str, str] | None = None,
          exact: dict[str, str] | None = None) -> bytes:
    """A workbook; ``exact`` swaps a number cell's written text for digits, as Excel keeps
    an integer cell (openpyxl writes big ints through a float)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if merge and title in merge:
            ws.merge_cells(merge[title])
    buf = io.BytesIO()
    wb.save(buf)
    if not exact:
        return buf.getvalue()
    src, out = zipfile.ZipFile(io.BytesIO(buf.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                for old, new in exact.items():
                    body = body.replace(f"<v>{old}</v>".encode(), f"<v>{new}</v>".encode())
            dst.writestr(item, body)
    return out.getvalue()


def test_xlsx_title_row_above_a_merged_header(con):
    data = _xlsx({"订单": [["2026年11月 订单导出"], ["订单编号", "实付金额", "订单付款时间"],
                         ["1", 12.5, dt.datetime(2026, 11, 2, 13, 5)], ["2", 3, None]]},
                 merge={"订单": "A1:C1"})
    r = _imported(con, data, "o.xlsx")
    assert _counts(r) == (2, 2, 0, 1)
    assert con.execute("SELECT order_id, CAST(paid_amount AS VARCHAR), CAST(pay_time AS VARCHAR) "
                       "FROM orders ORDER BY 1").fetchall() == [
        ("1", "12.50", "2026-11-02 13:05:00"), ("2", "3.00", None)]


def test_xlsx_data_on_the_second_sheet(con):
    data = _xlsx({"说明": [["本文件由后台导出"], ["请勿修改"]],
                  "订单明细": [["订单编号", "实付金额"], ["7", 70]]})
    r = _imported(con, data, "o.xlsx")
    assert r["mapping"] == {"订单编号": "order_id", "实付金额": "paid_amount"}
    assert _orders(con) == [("7", "70.00", None)]


def test_xlsx_19_digit_ids_through_a_float_are_damaged_never_wrong_digits(con):
    # Excel writes a number cell as a double: 3.0012345678901199E+18 for a typed 19-digit id.
    data = _xlsx({"订单": [["订单编号", "实付金额"], [3.0012345678901199e18, 1], [1234.5, 2],
                         [1234.25, 3], [1234.75, 4]]},
                 exact={"1234.5": ID_B, "1234.25": "9.007199254740993E+15",
                        "1234.75": "1.7851E+4"})
    r = _imported(con, data, "o.xlsx")
    assert _counts(r) == (4, 2, 2, 0)
    assert [(x["line"], x["value"], x["reason"]) for x in r["rejections"]] == [
        (2, "3.00123456789012E+18", "damaged_id"), (4, "9.007199254740992E+15", "damaged_id")]
    # An integer cell is exact; a float below 2**53 that is a whole number is that number.
    assert _orders(con) == [("17851", "4.00", None), (ID_B, "2.00", None)]


# 8. HTML saved as .xls ------------------------------------------------------------------

def _page(rows: str, charset: str = "gb2312") -> str:
    return ('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>'
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            "</head><body><table><tr><td>导出人</td><td>admin</td></tr></table>"
            '<table border="1"><tr><td colspan="4">淘宝订单导出 2026-11</td></tr>'
            "<tr><th>订单编号</th><th>买家会员名</th><th>实付金额</th><th>邮编</th></tr>"
            f"{rows}</table></body></html>")


ROWS = (f"<tr><td>{ID_A}</td><td>张三</td><td>1,299.00</td><td>001234</td></tr>"
        f"<tr><td>{ID_B}</td><td>李四<br>王五</td><td>59.9</td><td>0</td></tr>")


@pytest.mark.parametrize("data", [
    _page(ROWS).encode("gbk"),
    b"\xef\xbb\xbf \r\n" + ("<!DOCTYPE html>" + _page(ROWS, "utf-8")).encode(),
    ("\n<table>" + _page(ROWS).split("<table border=\"1\">", 1)[1]).encode("gb18030"),
], ids=["gbk-meta", "bom-doctype-utf8", "bare-table"])
def test_html_saved_as_xls(con, data):
    r = _imported(con, data, "订单.xls")
    assert r["encoding"] == "html" and _counts(r) == (2, 2, 0, 1)
    rows = con.execute("SELECT order_id, customer_id, CAST(paid_amount AS VARCHAR), "
                       "extra->>'邮编' FROM orders ORDER BY 1").fetchall()
    assert rows == [(ID_A, "张三", "1299.00", "001234"), (ID_B, "李四\n王五", "59.90", "0")]


def test_real_ole_xls_keeps_its_message(con):
    with pytest.raises(UserError) as err:
        import_bytes(con, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "o.xls", "orders")
    assert err.value.key == "ingest.xls_unsupported"


# 9. Zip ---------------------------------------------------------------------------------

def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in files.items():
            z.writestr(name, body)
    return buf.getvalue()


@pytest.mark.parametrize("inner", ["csv", "xlsx"])
def test_zip_with_one_data_file(con, tmp_path, inner):
    body = (f"{HEADER}\n1,10,a\n".encode("gb18030") if inner == "csv"
            else _xlsx({"s": [["订单编号", "实付金额", "备注"], ["1", 10, "a"]]}))
    path = tmp_path / "export.zip"
    path.write_bytes(_zip({"__MACOSX/._x": b"\x00\x05", "导出/": b"",
                           f"导出/orders.{inner}": body, "readme.md": b"hello"}))
    r = import_file(con, path, "orders")
    assert _counts(r) == (1, 1, 0, 0)
    assert r["encoding"] == ("gb18030" if inner == "csv" else "xlsx")
    assert _orders(con) == [("1", "10.00", "a")]


@pytest.mark.parametrize("data, key", [
    (_zip({"a.csv": b"x\n1\n", "b.csv": b"y\n2\n"}), "ingest.zip_several_data_files"),
    (_zip({"readme.md": b"hello"}), "ingest.zip_no_data_file"),
    (b"PK\x03\x04" + b"\x00" * 40, "ingest.bad_zip"),
    (b"<html><body><p>no table</p></body></html>", "ingest.html_no_table"),
])
def test_unreadable_containers_are_one_line_errors(con, data, key):
    with pytest.raises(UserError) as err:
        import_bytes(con, data, "x.zip", "orders")
    assert err.value.key == key
    for lang in ("zh", "en"):
        assert "\n" not in err.value.message(lang) and "x.zip" in err.value.message(lang)


# 10. Headers ----------------------------------------------------------------------------

def test_trailing_comma_on_the_header_only(con):
    r = _imported(con, "订单编号,实付金额,\n1,10\n2,20\n".encode())
    assert _counts(r) == (2, 2, 0, 0) and r["rejections"] == []
    assert _orders(con) == [("1", "10.00", None), ("2", "20.00", None)]


def test_quoted_line_end_inside_a_header_cell(con):
    data = '"订单\n编号","实付\r\n金额",备注\n1,10,a\n1.03531E+12,5,b\n2,20,c\n'.encode()
    r = _imported(con, data)
    assert r["mapping"] == {"订单编号": "order_id", "实付金额": "paid_amount"}
    assert _counts(r) == (3, 2, 1, 0)
    assert _lines(r) == [(5, "damaged_id")]
    assert _orders(con) == [("1", "10.00", "a"), ("2", "20.00", "c")]


def test_lone_cr_inside_a_quoted_header_cell(con):
    # DuckDB takes the line end of the file from its first line: a CR there, even quoted,
    # would make it read no row at all.
    data = '"订单\r编号",实付金额\n1,10\n1.03531E+12,5\n2,20\n'.encode()
    r = _imported(con, data)
    assert r["mapping"] == {"订单编号": "order_id", "实付金额": "paid_amount"}
    assert _counts(r) == (3, 2, 1, 0)
    assert _lines(r) == [(4, "damaged_id")]
    assert _orders(con) == [("1", "10.00", None), ("2", "20.00", None)]


# 11. Long lines -------------------------------------------------------------------------

def test_a_3_mb_field_imports(con):
    big = "长" * 1_000_000  # 3 MB of UTF-8, over DuckDB's default line limit
    data = f"{HEADER}\n1,10,{big}\n2,20,b\n".encode()
    r = _imported(con, data)
    assert _counts(r) == (2, 2, 0, 0)
    assert con.execute("SELECT order_id, length(extra->>'备注') FROM orders ORDER BY 1"
                       ).fetchall() == [("1", 1_000_000), ("2", 1)]


def test_every_record_duckdb_rejects_is_listed(con, monkeypatch):
    from analysis.ingest import stage

    real = stage.read_csv_sql
    monkeypatch.setattr(stage, "read_csv_sql", lambda *a, **k: real(*a, **k).replace(
        f"max_line_size = {64 << 20}", "max_line_size = 1000000"))
    data = (f'{HEADER}\n1,10,"a\nb"\n2,20,{"x" * 1_500_000}\n3,30,c\n'
            "1.03531E+12,5,d\n4,40\n").encode()
    r = _imported(con, data)
    assert _counts(r) == (5, 2, 3, 0)
    assert _lines(r) == [(4, "line_too_long"), (6, "damaged_id"),
                         (7, "malformed_row:2_of_3_fields")]


# 12. Broken quotes ----------------------------------------------------------------------

@pytest.mark.parametrize("after", ["2,20,x\n3,30,y\n", '2,20,"x,y"\n3,30,y\n'])
def test_a_quote_never_closed_swallows_no_rows(con, after):
    data = f'{HEADER}\n1,10,"abc\n{after}'.encode()
    r = _imported(con, data)
    assert _counts(r) == (3, 2, 1, 0)
    assert [(x["line"], x["value"], x["reason"]) for x in r["rejections"]] == [
        (2, '1,10,"abc', "broken_quote")]
    assert [o for o, _, _ in _orders(con)] == ["2", "3"]


def test_quoted_line_ends_and_inch_marks_are_not_broken_quotes(con):
    data = f'{HEADER}\n1,10,"多行\n备注"\n2,20,屏幕15.6"\n3,30,c\n'.encode()
    r = _imported(con, data)
    assert _counts(r) == (3, 3, 0, 0)
    assert _orders(con) == [("1", "10.00", "多行\n备注"), ("2", "20.00", '屏幕15.6"'),
                            ("3", "30.00", "c")]

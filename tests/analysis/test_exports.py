"""Exports open cleanly in Excel and cannot inject formulas; the CLI exports every list."""

from __future__ import annotations

import csv
import datetime as dt
import io

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.cli import main
from analysis.exports import to_csv_bytes, to_xlsx_bytes

FRAME = pd.DataFrame({
    "order_id": ["4012345678901234567", None],
    "content": ["=HYPERLINK(\"http://x\",\"点我\")", "\t+1 好评"],
    "seller_reply": ["-2 回复", "@某人 谢谢"],
    "rating": [5, 1],
    "paid_amount": [1299.5, 0.0],
})


def test_csv_has_bom_guards_ids_and_neutralises_formulas():
    data = to_csv_bytes(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["order_id", "content", "seller_reply", "rating", "paid_amount"]
    assert rows[1] == ['="4012345678901234567"', "'=HYPERLINK(\"http://x\",\"点我\")", "'-2 回复", "5", "1299.5"]
    assert rows[2] == ["", "'\t+1 好评", "'@某人 谢谢", "1", "0.0"]


def test_xlsx_types_ids_as_text_and_never_stores_a_formula():
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(FRAME)))
    ws = wb.active
    assert ws["A2"].value == "4012345678901234567" and ws["A2"].data_type == "s"
    assert ws["A2"].number_format == "@"
    assert ws["B2"].data_type == "s" and ws["B2"].value.startswith("=HYPERLINK")
    assert ws["D2"].value == 5 and ws["E2"].value == 1299.5


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from analysis.demo import write_demo

    path = tmp_path_factory.mktemp("exp") / "demo.duckdb"
    write_demo(path, customers=300, seed=4, end=dt.date(2026, 11, 20))
    return path


@pytest.mark.parametrize("what,ext", [("care-list", "csv"), ("thank-you", "xlsx"),
                                      ("reviews", "csv"), ("customers", "xlsx")])
def test_cli_exports_every_list(demo, tmp_path, what, ext):
    out = tmp_path / f"{what}.{ext}"
    args = ["export", what, "--db", str(demo), "--out", str(out), "--week", "2026-W47"]
    if what == "care-list":
        args += ["--date", "2026-11-20"]
    assert main(args) == 0
    frame = (pd.read_csv(out, encoding="utf-8-sig", dtype=str) if ext == "csv"
             else pd.read_excel(out, dtype=str))
    assert len(frame) > 0
    with duckdb.connect(str(demo), read_only=True) as con:
        logged = con.execute('SELECT "rows" FROM audit_log WHERE what = ? ORDER BY "at" DESC LIMIT 1',
                             [what]).fetchone()
    if any(c in frame.columns for c in ("buyer_name", "phone", "address")):
        assert logged == (len(frame),)


def test_cli_export_refuses_other_extensions(demo, tmp_path, capsys):
    assert main(["export", "reviews", "--db", str(demo), "--out", str(tmp_path / "x.txt")]) == 2
    assert capsys.readouterr().err.strip().startswith("error: The export file must end in .csv or .xlsx")

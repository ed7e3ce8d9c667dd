"""The import command as a process: one-line errors, a kill half-way, two at once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "analysis", "import", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, **kw)


def _orders(path: Path, rows: int, start: int = 0) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("订单编号,买家会员名,实付金额,下单时间\n")
        for i in range(start, start + rows):
            fh.write(f"{3000000000000000000 + i},u{i % 997},\"1,{i % 1000:03d}.50\",2026-11-02 10:00:00\n")
    return path


def test_cli_json_and_one_line_error(tmp_path, db_file):
    ok = _cli(str(_orders(tmp_path / "a.csv", 3)), "--kind", "orders", "--db", str(db_file), "--json")
    assert ok.returncode == 0, ok.stderr
    result = json.loads(ok.stdout)
    assert result["inserted"] == 3 and result["encoding"] == "utf-8"
    (tmp_path / "empty.csv").write_bytes(b"")
    bad = _cli(str(tmp_path / "empty.csv"), "--kind", "orders", "--db", str(db_file))
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    wrong = _cli(str(tmp_path / "a.csv"), "--kind", "reviews", "--db", str(db_file))
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr


def test_killed_half_way_leaves_database_unchanged(tmp_path, db_file):
    _cli(str(_orders(tmp_path / "small.csv", 5)), "--kind", "orders", "--db", str(db_file))
    big = _orders(tmp_path / "big.csv", 600_000, start=10)
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "import", str(big), "--kind",
                             "orders", "--db", str(db_file)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Kill it as soon as it starts writing to the file (the import's one transaction).
    wal = db_file.with_name(db_file.name + ".wal")
    before = db_file.stat()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        now = db_file.stat()
        if wal.exists() or (now.st_size, now.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
            break
        assert proc.poll() is None, "the import ended before it wrote anything"
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    assert proc.returncode != 0, "the import finished before it was killed"
    con = duckdb.connect(str(db_file))
    try:
        assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == 5
        assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
    finally:
        con.close()


def test_two_imports_at_the_same_moment_both_land(tmp_path, db_file):
    a = _orders(tmp_path / "a.csv", 20_000)
    b = _orders(tmp_path / "b.csv", 20_000, start=50_000)
    procs = [subprocess.Popen([sys.executable, "-m", "analysis", "import", str(f), "--kind",
                               "orders", "--db", str(db_file), "--json"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for f in (a, b)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode in (0, 2) and "Traceback" not in err
        if p.returncode == 2:
            assert err.count("\n") == 1
    landed = sum(json.loads(out)["inserted"] for p, (out, _) in zip(procs, outs) if p.returncode == 0)
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == landed
    finally:
        con.close()
    assert landed == 40_000  # the lock wait (60 s) is far longer than either import


def test_a_failed_first_import_leaves_no_database_behind(tmp_path, capsys):
    """The app shows the store database once it exists: a failed first import must not
    create an empty one."""
    from analysis.cli import main

    target = tmp_path / "store.duckdb"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["import", str(empty), "--kind", "orders", "--db", str(target)]) == 2
    assert main(["import", str(tmp_path / "missing.csv"), "--kind", "orders", "--db", str(target)]) == 2
    assert not target.exists()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error: ") for line in err)

"""Fixtures shared by every tier of tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"


@pytest.fixture
def realdata() -> Path:
    """The folder of real platform exports beside the repo; skips when it is absent."""
    if not REALDATA.is_dir():
        pytest.skip(f"real exports not found at {REALDATA} (../shared/realdata)")
    return REALDATA


@pytest.fixture
def con():
    """An in-memory warehouse with the schema and the metric macros."""
    from analysis.db import memory_db

    c = memory_db()
    yield c
    c.close()


@pytest.fixture
def db_file(tmp_path) -> Path:
    """A path for a fresh database file in the test's own folder."""
    return tmp_path / "store.duckdb"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A small demo database made once per test session (never the repo's data/ folder)."""
    import datetime as dt

    from analysis.demo import write_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    write_demo(path, customers=800, seed=11, end=dt.date(2026, 11, 20))
    return path


@pytest.fixture
def demo_con(demo_db, tmp_path):
    """A read-write connection to a copy of the demo (a test may change it freely)."""
    import shutil

    from analysis import db

    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    with db.connection(path) as c:
        yield c

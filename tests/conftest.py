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

"""The one owner of Streamlit state for the database: which file, its data version, the cache
of read queries, and the single write lock.

Nothing here holds the DuckDB file open between operations (docs/design.md: a scheduler's import
or evening export must work while the dashboard runs). Sessions that work at the same moment
share one connection per file and each gets its own cursor; the last one out closes the file.
(DuckDB refuses a second instance of a file in one process, so threads must not each
connect.) Results are cached under the file's data version (size and modification time of
the file and its WAL), so a page that was drawn once is drawn again without touching the
file, and any write, from here or from the CLI, changes the version and so every cached query.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import threading
from pathlib import Path

import streamlit as st

from analysis import db, ladder_store

# In-process connections to one file must share one configuration, so the app always opens
# read-write.
_write_lock = threading.Lock()
_open_lock = threading.Lock()
_demo_lock = threading.Lock()
_open: dict[str, list] = {}  # path -> [connection, sessions using it]
# The cursor a script run keeps for its cache misses (see run_scope); per thread, because
# Streamlit runs each session's script in a thread of its own.
_run = threading.local()


@contextlib.contextmanager
def cursor(path: Path):
    """A cursor of the process's shared connection to ``path``, opened on first use and
    closed when its last user is done."""
    key = str(path)
    with _open_lock:
        entry = _open.get(key)
        if entry is None:
            entry = _open[key] = [db.open_db(path), 0]
        entry[1] += 1
        cur = entry[0].cursor()
    try:
        db.install_macros(cur)
        yield cur
    finally:
        cur.close()
        with _open_lock:
            entry[1] -= 1
            if entry[1] == 0:
                entry[0].close()
                del _open[key]


@contextlib.contextmanager
def run_scope():
    """Let every cache miss of this script run share one cursor, opened at the first miss
    and closed when the run ends.

    Opening the file costs ~40 ms (catalogue, macros), which a page of ten queries would
    otherwise pay ten times; a run that finds every query cached never opens it. The file is
    still released at the end of each run, so the CLI can write between runs.
    """
    if getattr(_run, "active", False):  # nested: the outer scope owns the cursor
        yield
        return
    _run.active, _run.open = True, None
    try:
        yield
    finally:
        held, _run.active, _run.open = _run.open, False, None
        if held is not None:
            held[1].__exit__(None, None, None)


@contextlib.contextmanager
def _read_cursor(path: Path):
    """The run's cursor to ``path`` inside :func:`run_scope`, else a cursor of its own."""
    if not getattr(_run, "active", False):
        with cursor(path) as cur:
            yield cur
        return
    held = _run.open
    if held is not None and held[0] != str(path):  # the shown database changed mid-run
        _run.open = None
        held[1].__exit__(None, None, None)
        held = None
    if held is None:
        scope = cursor(path)
        held = _run.open = (str(path), scope, scope.__enter__())
    yield held[2]


def store_db() -> Path:
    """The store's own database ($INSIGHTS_DB, else data/store.duckdb)."""
    return db.db_path()


def active_db() -> tuple[Path, bool]:
    """The database the app shows, and whether it is the demo.

    The store database once it exists, else the demo (created on first start).
    """
    store = store_db()
    if store.exists():
        return store, False
    return db.demo_path(), True


def ensure_demo() -> None:
    """Create the demo database on first start (once per process, under a lock)."""
    target = db.demo_path()
    if target.exists():
        return
    with _demo_lock:
        if not target.exists():
            from analysis.demo import write_demo

            write_demo(target)


def data_version(path: Path | None = None) -> tuple:
    """A value that changes whenever the file's data does: keys every cached query."""
    path = path or active_db()[0]
    parts = []
    for p in (path, Path(str(path) + ".wal")):
        try:
            s = os.stat(p)
            parts.append((s.st_size, s.st_mtime_ns))
        except FileNotFoundError:
            parts.append(None)
    return (str(path), *parts)


def _resolve(func_path: str):
    """The function named ``"module:qualified.name"``."""
    module_name, qualname = func_path.split(":")
    func = importlib.import_module(module_name)
    for part in qualname.split("."):
        func = getattr(func, part)
    return func


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_call(version: tuple, func_path: str, args: tuple, kwargs: tuple):
    # The cache is keyed by the function's defining module and qualified name (a string
    # st.cache_data hashes cheaply); the function is found again from it on a miss.
    with _read_cursor(Path(version[0])) as con:
        return _resolve(func_path)(con, *args, **dict(kwargs))


def query(func, *args, **kwargs):
    """Run the analysis function ``func`` on the active database, cached by data version.

    ``func`` is the function itself (a page's first hop is then an import, which editors
    follow); it is called as ``func(con, *args, **kwargs)``. Arguments must be hashable
    values (dates, strings, numbers, tuples), never DataFrames.
    """
    func_path = f"{func.__module__}:{func.__qualname__}"
    version = data_version()
    return _cached_call(version, func_path, args, tuple(sorted(kwargs.items())))


@contextlib.contextmanager
def _writing():
    """Hold the one write lock; a session that has to wait is told why."""
    if _write_lock.acquire(blocking=False):
        waiting = None
    else:
        from analysis.i18n import lang_or_default, t

        waiting = st.info(t("state.waiting_for_writer", lang_or_default(st.query_params.get("lang"))))
        _write_lock.acquire()
    try:
        if waiting is not None:
            waiting.empty()
        yield
    finally:
        _write_lock.release()


def write(func, *args, **kwargs):
    """Run ``func(con, *args, **kwargs)`` on the store database under the one write lock.

    Writes always go to the store's own database (never into the demo), and the cache is
    keyed on the data version, so the next read sees the change. The stored weekly ladder
    is brought up to date before the lock is released (a no-op when the write did not
    touch what it is built from).
    """
    target = store_db()
    created = not target.exists()
    try:
        with _writing(), cursor(target) as con:
            result = func(con, *args, **kwargs)
            ladder_store.refresh_if_stale(con)
            return result
    except BaseException:
        if created:
            # A failed first import leaves no empty store behind: the app would switch to it.
            for leftover in (target, target.with_name(target.name + ".wal")):
                leftover.unlink(missing_ok=True)
        raise


def write_active(func, *args, **kwargs):
    """Like :func:`write` but on the database being shown (settings, call outcomes, and
    the audit log apply to the demo too, so a trial run behaves like the real thing)."""
    with _writing(), cursor(active_db()[0]) as con:
        result = func(con, *args, **kwargs)
        ladder_store.refresh_if_stale(con)
        return result

"""The layers of ``analysis/`` only point down, and no import goes round in a cycle.

Read from the source with ``ast`` (no module is imported), counting imports inside functions
as well as at the top: an import moved into a function to dodge a cycle is still a cycle.
Warehouse → definitions → derived (stored) tables → metrics → figures → report, CLI, pages.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "analysis"

# Opening the file, the schema, settings, weeks and instants, running SQL; errors and the
# text catalogue sit here too, since the warehouse raises user errors.
WAREHOUSE = {"analysis.db", "analysis.schema", "analysis.settings", "analysis.periods",
             "analysis.data_times", "analysis.rungs", "analysis.status_words", "analysis.sql",
             "analysis.errors", "analysis.i18n"}
# The rules' SQL and their parameters, shared by the stored tables and the metrics.
DEFINITIONS = {"analysis.ladder_sql", "analysis.bad_reviews_sql", "analysis.refunds_sql",
               "analysis.highend_sql"}
DERIVED = {"analysis.ladder_store", "analysis.complaint_store"}
# Upward on purpose: a read-write open builds the stored tables of an older database as
# part of its upgrade (analysis.db.open_db), from inside the function that does it.
UPWARD_ALLOWED = {("analysis.db", "analysis.ladder_store")}


def _modules() -> dict[str, Path]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The longest module of the package that ``name`` is or lies inside."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> set[str]:
    """The package's modules that ``module`` imports anywhere in its source."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            target = _resolve(name)
            # The package's own __init__ (empty) is no edge; nor is a package's own inside.
            if target and target != module and target != "analysis" \
                    and not module.startswith(target + "."):
                found.add(target)
    return found


GRAPH = {m: _imports(m) for m in MODULES}


def _layer_members(layer: set[str]) -> set[str]:
    return {m for m in MODULES if m in layer or any(m.startswith(p + ".") for p in layer)}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def test_the_graph_is_read():
    assert "analysis.ladder_store" in GRAPH["analysis.ladder"]  # a top-level import
    assert "analysis.ladder_store" in GRAPH["analysis.db"]  # one inside a function
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_in_analysis():
    assert _cycles(GRAPH) == []


def test_derived_tables_import_only_the_warehouse_and_definitions():
    below = _layer_members(WAREHOUSE | DEFINITIONS | DERIVED)
    for module in sorted(DERIVED):
        assert GRAPH[module] - below == set(), f"{module} imports a metric (or higher) module"


def test_definitions_import_only_the_warehouse():
    below = _layer_members(WAREHOUSE | DEFINITIONS)
    for module in sorted(DEFINITIONS):
        assert GRAPH[module] - below == set(), f"{module} imports above the definitions"


def test_the_warehouse_imports_nothing_above_it():
    warehouse = _layer_members(WAREHOUSE)
    for module in sorted(warehouse):
        upward = {t for t in GRAPH[module] - warehouse if (module, t) not in UPWARD_ALLOWED}
        assert upward == set(), f"{module} imports above the warehouse"


def test_every_layer_names_modules_that_exist():
    assert WAREHOUSE | DEFINITIONS | DERIVED <= set(MODULES)

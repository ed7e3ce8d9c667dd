"""Staging in DuckDB: the file's rows as text, cleaned and typed, with row-level rejections.

Everything here lives in TEMP tables, so nothing reaches the database file until
:mod:`analysis.ingest.load` writes the canonical table inside one transaction.
"""

from __future__ import annotations

from analysis.ingest import clean
from analysis.ingest.plan import Plan, content_columns

RAW, ROWS, TYPED = "ing_raw", "ing_rows", "ing_typed"
REJECTS, REJECT_SCANS = "ing_rejects", "ing_reject_scans"
MAX_REJECTIONS = 1000

REASONS = {"amount": "not_a_number", "int": "not_an_integer", "rating": "not_a_rating",
           "bool": "not_a_boolean", "ts": "not_a_date"}


def drop_temp(con) -> None:
    """Drop every staging table (they are per connection, but a connection may be reused)."""
    for name in (RAW, ROWS, TYPED, "ing_hashed", "ing_final", REJECTS, REJECT_SCANS):
        con.execute(f"DROP TABLE IF EXISTS temp.{name}")


def read_raw(con, csv_path: str, plan: Plan, *, delimiter: str, skip: int) -> int:
    """Load the CSV into ``ing_raw`` as text (malformed rows go to the rejects table).

    Returns the number of malformed rows DuckDB refused.
    """
    cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(plan.headers))) + "}"
    con.execute(
        f"CREATE TEMP TABLE {RAW} AS SELECT * FROM read_csv($path, header = false, "
        f"skip = {int(skip)}, all_varchar = true, auto_detect = false, columns = {cols}, "
        f"delim = $delim, quote = '\"', escape = '\"', store_rejects = true, "
        f"rejects_table = '{REJECTS}', rejects_scan = '{REJECT_SCANS}')",
        {"path": csv_path, "delim": delimiter},
    )
    return con.execute(f"SELECT count(DISTINCT line) FROM {REJECTS}").fetchone()[0]


def lines_spanned(con, n_cols: int) -> int:
    """Physical lines taken by every record read (accepted and malformed ones)."""
    newlines = " + ".join(f"coalesce(length(c{i}) - length(replace(c{i}, chr(10), '')), 0)"
                          for i in range(n_cols))
    good = con.execute(f"SELECT count(*) + coalesce(sum({newlines}), 0) FROM {RAW}").fetchone()[0]
    bad = con.execute(
        f"SELECT coalesce(sum(1 + length(csv_line) - length(replace(csv_line, chr(10), ''))), 0) "
        f"FROM (SELECT DISTINCT line, csv_line FROM {REJECTS})").fetchone()[0]
    return int(good + bad)


def rows_sql(plan: Plan, *, header_mode: bool) -> tuple[str, dict]:
    """The subquery of kept rows: mapped columns cleaned to text, the rest folded into
    ``extra``; blank rows and repeated header rows left out."""
    n = len(plan.headers)
    params: dict[str, object] = {}
    # Whitespace-only rows are not blank here: they reach the key check and are rejected.
    blank = "coalesce(" + ", ".join(f"c{i}" for i in range(n)) + ") IS NULL"
    repeat = "false"
    if header_mode:
        conds = []
        for i, h in enumerate(plan.headers):
            params[f"h{i}"] = h
            conds.append(f"coalesce(trim(c{i}), '') = $h{i}")
        repeat = " AND ".join(conds)
    selects = [f"ing_text(c{p}) AS t_{col}" for p, col in sorted(plan.by_position.items())]
    if plan.extra_positions:
        pairs, seen = [], set()
        for p in plan.extra_positions:
            key = plan.headers[p] or f"column_{p + 1}"
            while key in seen:
                key += "_"
            seen.add(key)
            params[f"k{p}"] = key
            pairs.append(f"$k{p}, c{p}")
        selects.append(f"json_object({', '.join(pairs)}) AS extra")
    else:
        selects.append("CAST(NULL AS JSON) AS extra")
    return (f"SELECT rowid AS ord, {', '.join(selects)} FROM {RAW} "
            f"WHERE NOT ({blank}) AND NOT ({repeat})", params)


def decide_dates(con, plan: Plan, day_first: dict | None) -> tuple[dict[str, bool], list[str]]:
    """Day order per mapped date column: ({canonical: day_first}, ambiguous source headers)."""
    ts_cols = [c for c in plan.by_position.values() if clean.value_kind(c) == "ts"]
    if not ts_cols:
        return {}, []
    source_of = {c: plan.headers[p] for p, c in plan.by_position.items()}
    counts = con.execute(clean.date_order_sql([f"t_{c}" for c in ts_cols], ROWS)).fetchone()
    given = day_first or {}
    decided, ambiguous = {}, []
    for i, col in enumerate(ts_cols):
        wish = given.get(source_of[col], given.get(col))
        decided[col], is_ambiguous = clean.decide_day_first(tuple(counts[3 * i:3 * i + 3]), wish)
        if is_ambiguous:
            ambiguous.append(source_of[col])
    return decided, ambiguous


def build_rows(con, plan: Plan, *, header_mode: bool) -> int:
    """Materialise the kept rows as cleaned text; returns how many were kept.

    (Materialised, not a subquery: DuckDB would inline the cleaning into every reference.)
    """
    source, params = rows_sql(plan, header_mode=header_mode)
    con.execute(f"CREATE TEMP TABLE {ROWS} AS {source}", params)
    return con.execute(f"SELECT count(*) FROM {ROWS}").fetchone()[0]


def build_typed(con, plan: Plan, day_first: dict[str, bool]) -> None:
    """Type every mapped column and name the first column that rejects each row."""
    key_id = clean.KEY_ID[plan.kind]
    params: dict[str, object] = {}
    typed, checks = [], []
    for col in content_columns(plan.kind):
        if col in plan.constants:
            params[f"set_{col}"] = plan.constants[col]
            typed.append(f"{clean.typed_expr(col, f'ing_text($set_{col})', day_first=False)} AS {col}")
        elif col in plan.mapped:
            typed.append(f"{clean.typed_expr(col, f't_{col}', day_first=day_first.get(col))} AS {col}")
        else:
            continue
        kind = clean.value_kind(col)
        ref = f"t_{col}" if col not in plan.constants else f"ing_text($set_{col})"
        if kind in REASONS:
            checks.append(f"WHEN {ref} IS NOT NULL AND {col} IS NULL THEN '{col}:{REASONS[kind]}'")
        if col == key_id and kind == "id":
            checks.append(f"WHEN ing_id_state({ref}) = 'damaged' THEN '{col}:damaged_id'")
            checks.append(f"WHEN ing_id_state({ref}) = 'masked' THEN '{col}:masked_id'")
            checks.append(f"WHEN {ref} IS NULL THEN '{col}:missing_key'")
    texts = [f"t_{c}" for c in sorted(set(plan.by_position.values()))]
    bad = f"CASE {' '.join(checks)} END" if checks else "CAST(NULL AS VARCHAR)"
    con.execute(
        f"CREATE TEMP TABLE {TYPED} AS SELECT *, {bad} AS bad FROM (SELECT ord, extra, "
        f"{', '.join(texts + typed)} FROM {ROWS})",
        params,
    )
    con.execute(f"DROP TABLE {ROWS}")


def rejections(con, plan: Plan) -> tuple[int, list[dict]]:
    """(rejected row count, the first rejections as {ord, column, value, reason})."""
    n = con.execute(f"SELECT count(*) FROM {TYPED} WHERE bad IS NOT NULL").fetchone()[0]
    if not n:
        return 0, []
    cases = " ".join(f"WHEN '{c}' THEN CAST(t_{c} AS VARCHAR)"
                     for c in sorted(set(plan.by_position.values())))
    rows = con.execute(
        f"SELECT ord, split_part(bad, ':', 1) AS col, split_part(bad, ':', 2) AS reason, "
        f"CASE split_part(bad, ':', 1) {cases} END AS value FROM {TYPED} "
        f"WHERE bad IS NOT NULL ORDER BY ord LIMIT {MAX_REJECTIONS}"
    ).fetchall()
    source_of = {c: plan.headers[p] for p, c in plan.by_position.items()}
    return n, [{"ord": o, "column": source_of.get(c, c), "value": v, "reason": r}
               for o, c, r, v in rows]


def id_warnings(con, plan: Plan) -> list[dict]:
    """Float-rendered, damaged and masked ids outside the key: kept as NULL (or fixed)."""
    key_id = clean.KEY_ID[plan.kind]
    out = []
    for p, col in sorted(plan.by_position.items()):
        if clean.value_kind(col) != "id":
            continue
        for state, reason in (("float", "float_id_fixed"), ("damaged", "damaged_id_nulled"),
                              ("masked", "masked_id_nulled")):
            if col == key_id and state != "float":
                continue  # those rows are rejected instead
            count, examples = con.execute(
                f"SELECT count(*), list(DISTINCT t_{col})[1:3] FROM {TYPED} "
                f"WHERE bad IS NULL AND ing_id_state(t_{col}) = $state", {"state": state},
            ).fetchone()
            if count:
                out.append({"column": plan.headers[p], "count": count, "reason": reason,
                            "examples": sorted(examples or [])})
    return out

"""Staging in DuckDB: the file's rows read, cleaned and typed in one pass, with rejections.

One ``CREATE TEMP TABLE … AS SELECT`` reads the CSV and cleans and types every column once:
nested projections hand each step's result to the next as a column, so no cleaning macro is
evaluated twice. The table keeps every record DuckDB read (blank and repeated header rows
flagged ``skip_``), so its ``rowid`` is the record's position in the file. Everything lives
in TEMP tables: nothing reaches the database file until :mod:`analysis.ingest.load` writes
the canonical table inside one transaction.

Columns of ``ing_typed``: ``skip_``, ``extra``, the typed canonical columns the file or
``--set`` fills, ``bad`` ("column:reason" of the first column rejecting the row) and
``bad_value``, ``st_<id>`` and ``odd_<id>`` (the state and text of float-rendered, damaged
or masked ids, else NULL)
and ``r_<date>`` (date text that is not year-first, typed once the day order is decided).
"""

from __future__ import annotations

from analysis.ingest import clean
from analysis.ingest.plan import Plan, content_columns
from analysis.ingest.pseudonym import Pseudonym

TYPED = "ing_typed"
REJECTS, REJECT_SCANS = "ing_rejects", "ing_reject_scans"
MAX_REJECTIONS = 1000
VALID = "NOT skip_ AND bad IS NULL"

REASONS = {"amount": "not_a_number", "int": "not_an_integer", "rating": "not_a_rating",
           "bool": "not_a_boolean", "ts": "not_a_date"}


def drop_temp(con) -> None:
    """Drop every staging table (they are per connection, but a connection may be reused)."""
    for name in (TYPED, "ing_hashed", "ing_final", REJECTS, REJECT_SCANS):
        con.execute(f"DROP TABLE IF EXISTS temp.{name}")


def read_csv_sql(n_cols: int, *, skip: int, rejects: bool) -> str:
    """``read_csv`` of the file ``$path`` as text columns c0, c1, … (delimiter ``$delim``)."""
    cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n_cols)) + "}"
    errors = (f"store_rejects = true, rejects_table = '{REJECTS}', "
              f"rejects_scan = '{REJECT_SCANS}'" if rejects else "ignore_errors = true")
    return (f"read_csv($path, header = false, skip = {int(skip)}, all_varchar = true, "
            f"auto_detect = false, columns = {cols}, delim = $delim, quote = '\"', "
            f"escape = '\"', {errors})")


def sources(plan: Plan) -> list[str]:
    """Canonical columns the file or a constant fills, in the kind's column order."""
    mapped = plan.mapped
    return [c for c in content_columns(plan.kind) if c in mapped]


# A totals or count row under the data (合计, 总计, 小计, 汇总, 共200笔, Total): not an order.
TOTALS_PATTERN = r"^[\s'=\"]*(合\s*计|总\s*计|小\s*计|汇\s*总|共\s*\d+\s*[笔条单行个件项]|total\b)"


def _totals_expr(plan: Plan, params: dict) -> str:
    """Whether a row is a totals row: its key cell (or, when that is empty, one of the
    first three cells) carries a totals label. The first code point is tested before any
    regex, so ordinary rows never pay for it."""
    params["totals"] = TOTALS_PATTERN
    firsts = "(21512, 24635, 23567, 27719, 20849, 84, 116, 9, 32, 12288, 39, 61, 34)"
    key_pos = {c: p for p, c in plan.by_position.items()}.get(clean.KEY_ID[plan.kind])

    def label(ref: str) -> str:
        return f"(ord({ref}) IN {firsts} AND regexp_matches({ref}, $totals, 'i'))"

    near = " OR ".join(label(f"c{i}") for i in range(min(3, len(plan.headers))))
    if key_pos is None:
        return f"coalesce({near}, false)"
    return (f"coalesce(CASE WHEN nullif(trim(c{key_pos}), '') IS NULL THEN {near} "
            f"ELSE {label(f'c{key_pos}')} END, false)")


def _skip_expr(plan: Plan, header_mode: bool, params: dict) -> str:
    n = len(plan.headers)
    # Whitespace-only rows are not blank here: they reach the key check and are rejected.
    blank = "coalesce(" + ", ".join(f"c{i}" for i in range(n)) + ") IS NULL"
    blank = f"({blank} OR {_totals_expr(plan, params)})"
    if not header_mode:
        return f"({blank})"
    conds = []
    for i, h in enumerate(plan.headers):
        params[f"h{i}"] = h
        conds.append(f"coalesce(trim(c{i}), '') = $h{i}")
    # contains() first, a cheap test nearly every data row fails; inside CASE WHEN, DuckDB
    # evaluates AND and OR lazily (in a plain projection it would trim every value).
    return (f"CASE WHEN {blank} OR (coalesce(contains(c0, $h0), $h0 = '') AND "
            f"{' AND '.join(conds)}) THEN true ELSE false END")


def _extra_expr(plan: Plan, params: dict, pseudo: Pseudonym | None, cust_text: str | None) -> str:
    if not plan.extra_positions:
        return "CAST(NULL AS JSON)"
    pairs, seen = [], set()
    for p in plan.extra_positions:
        key = plan.headers[p] or f"column_{p + 1}"
        while key in seen:
            key += "_"
        seen.add(key)
        params[f"k{p}"] = key
        pairs.append(f"$k{p}, {_extra_value(plan, p, pseudo, cust_text)}")
    return f"json_object({', '.join(pairs)})"


def _extra_value(plan: Plan, p: int, pseudo: Pseudonym | None, cust_text: str | None) -> str:
    if pseudo is None:
        return f"c{p}"
    if pseudo.is_id_header(plan.headers[p]):
        return pseudo.sql(f"ing_text(c{p})")
    if cust_text is None:
        return f"c{p}"
    # A copy of the customer id under a header we do not know is hashed as well, and so is
    # the id inside a longer text (ids of fewer than 4 characters would hit unrelated text).
    hashed = pseudo.sql(cust_text)
    return (f"CASE WHEN ing_text(c{p}) = {cust_text} THEN {hashed} "
            f"WHEN length({cust_text}) >= 4 AND contains(c{p}, {cust_text}) "
            f"THEN replace(c{p}, {cust_text}, {hashed}) ELSE c{p} END")


def _parsed(kind: str) -> bool:
    """Whether a kind is parsed into a type (so the raw text may be tried first)."""
    return kind not in ("id", "text")


def typed_sql(plan: Plan, *, header_mode: bool, pseudo: Pseudonym | None) -> tuple[str, dict]:
    """The SELECT (over ``read_csv`` as ``src``) producing the ``ing_typed`` columns.

    Ids and text are stored as cleaned, so they are cleaned first (:func:`clean.text_sql`).
    Numbers, ratings, booleans and dates are parsed from the raw text first, and cleaned and
    parsed again only when that fails: a value the parser takes as it is has nothing to
    clean, so most values are never cleaned at all.
    """
    params: dict[str, object] = {}
    cols = sources(plan)
    position = {c: p for p, c in plan.by_position.items()}
    key_id = clean.KEY_ID[plan.kind]
    kinds = {c: clean.value_kind(c) for c in cols}
    ids = [c for c in cols if kinds[c] == "id"]
    raw_of, text_of = {}, {}
    for c in cols:
        if c in plan.constants:
            params[f"set_{c}"] = plan.constants[c]
            raw_of[c] = f"CAST($set_{c} AS VARCHAR)"
            text_of[c] = f"ing_text({raw_of[c]})"
        else:
            p = position[c]
            raw_of[c] = f"c{p}"
            text_of[c] = clean.text_sql(f"c{p}", f"f{p}", f"l{p}")
    if pseudo is not None:
        params.update(pseudo.params())
    # Level 0: first and last code point of the columns stored as text.
    l0 = ["*"] + [f"ord(c{position[c]}) AS f{position[c]}, "
                  f"ord(substr(c{position[c]}, -1)) AS l{position[c]}"
                  for c in cols if c in position and not _parsed(kinds[c])]
    # Level 1: cleaned text of ids and text, raw text of the rest, skip flag, extra.
    l1 = [f"{_skip_expr(plan, header_mode, params)} AS skip_",
          f"{_extra_expr(plan, params, pseudo, text_of.get('customer_id'))} AS extra"]
    for c in cols:
        l1.append(f"{raw_of[c]} AS t_{c}" if _parsed(kinds[c]) else f"{text_of[c]} AS t_{c}")
    # Level 2: id states.
    l2 = ["*"] + [f"ing_id_state(t_{c}) AS st_{c}" for c in ids]
    # Level 3: typed values (dates year-first only; the rest waits for the day order).
    l3 = ["*"]
    typed_ref, shown = {}, {}
    for c in cols:
        kind = kinds[c]
        if kind == "text":
            typed_ref[c] = shown[c] = f"t_{c}"
            continue
        if kind == "id":
            expr = (f"CASE WHEN st_{c} IS NULL THEN t_{c} WHEN st_{c} = 'float' "
                    f"THEN regexp_replace(t_{c}, '\\.0+$', '') END")
            shown[c] = f"t_{c}"
        else:
            parse = ((lambda ref: f"ing_ts_year_first({ref})") if kind == "ts"
                     else (lambda ref, c=c: clean.typed_expr(c, ref)))
            expr = (f"coalesce({parse(f't_{c}')}, CASE WHEN t_{c} IS NOT NULL "
                    f"THEN {parse(f'ing_text_slow(t_{c})')} END)")
            shown[c] = f"ing_text_slow(t_{c})"
        l3.append(f"{expr} AS v_{c}")
        typed_ref[c] = f"v_{c}"
    # Level 4: what is stored, the first rejecting column, odd ids, dates left to type.
    checks = _checks(cols, kinds, key_id, typed_ref, shown, pseudo)
    bad = f"CASE {' '.join(w for w, _ in checks)} END" if checks else "CAST(NULL AS VARCHAR)"
    value = (f"CASE {' '.join(v for _, v in checks)} END" if checks
             else "CAST(NULL AS VARCHAR)")
    l4 = ["skip_", "extra"]
    for c in cols:
        ref = typed_ref[c]
        if c == "customer_id" and pseudo is not None:
            ref = pseudo.sql(ref)
        l4.append(f"{ref} AS {c}")
    l4 += [f"{bad} AS bad", f"{value} AS bad_value"]
    for c in ids:
        odd = f"CASE WHEN st_{c} IS NOT NULL THEN t_{c} END"
        if c == "customer_id" and pseudo is not None:
            odd = pseudo.sql(odd)
        l4 += [f"{odd} AS odd_{c}", f"st_{c}"]
    l4 += [f"CASE WHEN v_{c} IS NULL AND t_{c} IS NOT NULL THEN ing_text_slow(t_{c}) END AS r_{c}"
           for c in cols if kinds[c] == "ts"]
    sql = (f"SELECT {', '.join(l4)} FROM (SELECT {', '.join(l3)} FROM (SELECT {', '.join(l2)} "
           f"FROM (SELECT {', '.join(l1)} FROM (SELECT {', '.join(l0)} FROM src))))")
    return sql, params


def _checks(cols, kinds, key_id, typed_ref, shown, pseudo) -> list[tuple[str, str]]:
    """(WHEN … THEN reason, WHEN … THEN value) per check, in column order; dates excluded.

    For parsed kinds ``t_`` is the raw text: a NULL value is rejected only when the cleaned
    text is not empty (tested last, so only for the few values that failed).
    """
    out = []
    for c in cols:
        kind = kinds[c]
        value = "NULL" if c == "customer_id" and pseudo is not None else shown[c]
        conds = []
        if kind in REASONS and kind != "ts":
            conds.append((f"{typed_ref[c]} IS NULL AND t_{c} IS NOT NULL "
                          f"AND ing_text_slow(t_{c}) IS NOT NULL", REASONS[kind]))
        if c == key_id and kind == "id":
            conds += [(f"st_{c} = 'damaged'", "damaged_id"), (f"st_{c} = 'masked'", "masked_id"),
                      (f"t_{c} IS NULL", "missing_key")]
        out += [(f"WHEN {cond} THEN '{c}:{reason}'", f"WHEN {cond} THEN {value}")
                for cond, reason in conds]
    return out


def build_typed(con, csv_path: str, plan: Plan, *, delimiter: str, skip: int,
                header_mode: bool, pseudo: Pseudonym | None = None) -> None:
    """Read, clean and type the CSV into ``ing_typed`` (malformed rows go to the rejects)."""
    select, params = typed_sql(plan, header_mode=header_mode, pseudo=pseudo)
    params.update({"path": csv_path, "delim": delimiter})
    source = read_csv_sql(len(plan.headers), skip=skip, rejects=True)
    con.execute(f"CREATE TEMP TABLE {TYPED} AS WITH src AS (SELECT * FROM {source}) {select}",
                params)


def stats(con, plan: Plan) -> dict:
    """Counts over ``ing_typed``: records, kept rows, rejected rows, malformed records,
    dates left to type and odd ids per column."""
    cols = sources(plan)
    dates = [c for c in cols if clean.value_kind(c) == "ts"]
    ids = [c for c in cols if clean.value_kind(c) == "id" and c in plan.by_position.values()]
    parts = ["count(*)", "count(*) FILTER (WHERE NOT skip_)",
             "count(*) FILTER (WHERE NOT skip_ AND bad IS NOT NULL)"]
    parts += [f"count(r_{c}) FILTER (WHERE NOT skip_)" for c in dates]
    parts += [f"count(st_{c}) FILTER (WHERE {VALID})" for c in ids]
    row = con.execute(f"SELECT {', '.join(parts)} FROM {TYPED}").fetchone()
    malformed = con.execute(f"SELECT count(DISTINCT line) FROM {REJECTS}").fetchone()[0]
    return {"records": row[0], "kept": row[1], "rejected": row[2], "malformed": malformed,
            "dates": {c: row[3 + i] for i, c in enumerate(dates)},
            "odd_ids": {c: row[3 + len(dates) + i] for i, c in enumerate(ids)}}


def decide_dates(con, plan: Plan, pending: dict[str, int],
                 day_first: dict | None) -> tuple[dict[str, bool], list[str]]:
    """Day order per date column with values that are not year-first, decided over the
    whole column: ({canonical: day_first}, ambiguous source headers)."""
    cols = [c for c, n in pending.items() if n]
    if not cols:
        return {}, []
    source_of = {c: plan.headers[p] for p, c in plan.by_position.items()}
    counts = con.execute(clean.date_order_sql(
        [f"r_{c}" for c in cols], f"(SELECT * FROM {TYPED} WHERE NOT skip_)")).fetchone()
    given = day_first or {}
    decided, ambiguous = {}, []
    for i, col in enumerate(cols):
        source = source_of.get(col, col)
        wish = given.get(source, given.get(col))
        decided[col], is_ambiguous = clean.decide_day_first(tuple(counts[3 * i:3 * i + 3]), wish)
        if is_ambiguous:
            ambiguous.append(source)
    return decided, ambiguous


def type_dates(con, plan: Plan, decided: dict[str, bool]) -> None:
    """Type the pending date texts in the decided order, then re-decide those rows' ``bad``."""
    if not decided:
        return
    pending = " OR ".join(f"r_{c} IS NOT NULL" for c in decided)
    sets = ", ".join(f"{c} = CASE WHEN r_{c} IS NULL THEN {c} ELSE "
                     f"{clean.typed_expr(c, f'r_{c}', day_first=day)} END"
                     for c, day in decided.items())
    con.execute(f"UPDATE {TYPED} SET {sets} WHERE NOT skip_ AND ({pending})")
    # The first rejecting column in column order: a date or the non-date one already found.
    bad, value = [], []
    for c in sources(plan):
        if c in decided:
            cond = f"{c} IS NULL AND r_{c} IS NOT NULL"
            bad.append(f"WHEN {cond} THEN '{c}:{REASONS['ts']}'")
            value.append(f"WHEN {cond} THEN r_{c}")
        else:
            cond = f"starts_with(bad, '{c}:')"
            bad.append(f"WHEN {cond} THEN bad")
            value.append(f"WHEN {cond} THEN bad_value")
    con.execute(f"UPDATE {TYPED} SET bad = CASE {' '.join(bad)} END, "
                f"bad_value = CASE {' '.join(value)} END WHERE NOT skip_ AND ({pending})")


def rejections(con, plan: Plan) -> list[dict]:
    """The first rejections as {ord, column, value, reason}."""
    rows = con.execute(
        f"SELECT rowid, split_part(bad, ':', 1), split_part(bad, ':', 2), bad_value "
        f"FROM {TYPED} WHERE NOT skip_ AND bad IS NOT NULL ORDER BY rowid LIMIT {MAX_REJECTIONS}"
    ).fetchall()
    source_of = {c: plan.headers[p] for p, c in plan.by_position.items()}
    return [{"ord": o, "column": source_of.get(c, c), "value": v, "reason": r}
            for o, c, r, v in rows]


def id_warnings(con, plan: Plan, odd_counts: dict[str, int], *, hidden=()) -> list[dict]:
    """Float-rendered, damaged and masked ids outside the key: kept as NULL (or fixed).

    Columns in ``hidden`` (pseudonymised ids) are reported without examples.
    """
    key_id = clean.KEY_ID[plan.kind]
    source_of = {c: plan.headers[p] for p, c in plan.by_position.items()}
    out = []
    for col in sorted(odd_counts, key=lambda c: plan.headers.index(source_of[c])):
        if not odd_counts[col]:
            continue
        found = dict((s, (n, ex)) for s, n, ex in con.execute(
            f"SELECT st_{col}, count(*), list(DISTINCT odd_{col} ORDER BY odd_{col})[1:3] "
            f"FROM {TYPED} WHERE st_{col} IS NOT NULL AND {VALID} GROUP BY st_{col}").fetchall())
        for state, reason in (("float", "float_id_fixed"), ("damaged", "damaged_id_nulled"),
                              ("masked", "masked_id_nulled")):
            if (col == key_id and state != "float") or state not in found:
                continue  # those rows are rejected instead
            count, examples = found[state]
            out.append({"column": source_of[col], "count": count, "reason": reason,
                        "examples": [] if col in hidden else sorted(examples or [])})
    return out


def lines_spanned(con, csv_path: str, n_cols: int, *, delimiter: str, skip: int) -> int:
    """Physical lines taken by every record read (accepted and malformed ones).

    Only files with both quotes and empty lines need this, so the file is read again rather
    than every import keeping its raw text.
    """
    newlines = " + ".join(f"coalesce(length(c{i}) - length(replace(c{i}, chr(10), '')), 0)"
                          for i in range(n_cols))
    good = con.execute(
        f"SELECT count(*) + coalesce(sum({newlines}), 0) FROM "
        f"{read_csv_sql(n_cols, skip=skip, rejects=False)}",
        {"path": csv_path, "delim": delimiter}).fetchone()[0]
    bad = con.execute(
        f"SELECT coalesce(sum(1 + length(csv_line) - length(replace(csv_line, chr(10), ''))), 0) "
        f"FROM (SELECT DISTINCT line, csv_line FROM {REJECTS})").fetchone()[0]
    return int(good + bad)

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
or masked ids, else NULL),
``r_<date>`` (date text that is not year-first, typed once the day order is decided) and
``w_`` (NULL, or for a row with a value stored as NULL, a placeholder or a value that does
not parse, the list of those values' texts, one item per column but the key and the dates).

Only the key rejects a row (missing, damaged or masked; for reviews, a row with none of
review id, text and time): any other value that does not parse, and every placeholder, is
stored as NULL and reported once per column by :func:`value_warnings`.
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
    # DuckDB's default 2 MB line limit rejects a long review or a pasted page; the memory
    # it takes is only what the longest line needs.
    return (f"read_csv($path, header = false, skip = {int(skip)}, all_varchar = true, "
            f"auto_detect = false, columns = {cols}, delim = $delim, quote = '\"', "
            f"escape = '\"', max_line_size = {64 << 20}, {errors})")


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
    # 合 总 小 汇 共 T t, tab, space, ideographic space, ' = ": a CASE, because DuckDB turns an
    # IN list into a hash join over every row.
    firsts = (21512, 24635, 23567, 27719, 20849, 84, 116, 9, 32, 12288, 39, 61, 34)
    key_pos = {c: p for p, c in plan.by_position.items()}.get(clean.KEY_ID[plan.kind])

    def label(ref: str) -> str:
        first = " ".join(f"WHEN {o} THEN true" for o in firsts)
        return (f"(CASE ord({ref}) {first} ELSE false END "
                f"AND regexp_matches({ref}, $totals, 'i'))")

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


def typed_sql(plan: Plan, *, header_mode: bool, pseudo: Pseudonym | None,
              nul: bool = True) -> tuple[str, dict]:
    """The SELECT (over ``read_csv`` as ``src``) producing the ``ing_typed`` columns.

    Ids and text are stored as cleaned, so they are cleaned first (:func:`clean.text_sql`).
    Numbers, ratings, booleans and dates are parsed from the raw text first, and cleaned and
    parsed again only when that fails: a value the parser takes as it is has nothing to
    clean, so most values are never cleaned at all. ``nul``: whether the file may hold NUL
    characters (then they are removed from every value first, extra columns included).
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
    # Level -1, only for a file holding NULs: every cell without them.
    source = "src"
    if nul:
        source = "(SELECT * REPLACE (" + ", ".join(
            f"CASE WHEN contains(c{i}, chr(0)) THEN nullif(replace(c{i}, chr(0), ''), '') "
            f"ELSE c{i} END AS c{i}" for i in range(len(plan.headers))) + ") FROM src)"
    # Level 0: first and last code point of the columns stored as text.
    l0 = ["*"] + [f"ord(c{position[c]}) AS f{position[c]}, "
                  f"ord(substr(c{position[c]}, -1)) AS l{position[c]}"
                  for c in cols if c in position and not _parsed(kinds[c])]
    # Level 1: cleaned text of ids and text, raw text of the rest, skip flag, extra.
    l1 = [f"{_skip_expr(plan, header_mode, params)} AS skip_",
          f"{_extra_expr(plan, params, pseudo, text_of.get('customer_id'))} AS extra"]
    for c in cols:
        l1.append(f"{raw_of[c]} AS t_{c}" if _parsed(kinds[c]) else f"{text_of[c]} AS t_{c}")
    # (and the first code points, for the placeholder test of level 3)
    l1 += [f"f{position[c]}" for c in cols if c in position and not _parsed(kinds[c])]
    # Level 2: id states.
    l2 = ["*"] + [f"ing_id_state(t_{c}) AS st_{c}" for c in ids]
    # Level 3: typed values (dates year-first only; the rest waits for the day order), text
    # and ids without placeholders.
    l3 = ["*"]
    typed_ref, shown = {}, {}
    for c in cols:
        kind = kinds[c]
        if kind in ("text", "id"):
            placeholder = clean.placeholder_sql(
                f"t_{c}", f"f{position[c]}" if c in position else None)
            expr = (f"CASE WHEN {placeholder} THEN NULL ELSE t_{c} END" if kind == "text" else
                    f"CASE WHEN st_{c} IS NULL AND NOT {placeholder} THEN t_{c} "
                    f"WHEN st_{c} = 'float' THEN regexp_replace(t_{c}, '\\.0+$', '') END")
            shown[c] = f"t_{c}"
        else:
            parse = ((lambda ref: f"ing_ts_year_first({ref})") if kind == "ts"
                     else (lambda ref, c=c: clean.typed_expr(c, ref)))
            # The cleaned text is bound once (a lambda's argument): as a macro's argument it
            # would be repeated in every place the parser reads its value, and cost for every
            # value, not only the few that fail.
            expr = (f"coalesce({parse(f't_{c}')}, CASE WHEN t_{c} IS NOT NULL THEN list_transform("
                    f"[ing_text_slow(t_{c})], lambda cleaned_: {parse('cleaned_')})[1] END)")
            shown[c] = f"ing_text_slow(t_{c})"
        l3.append(f"{expr} AS v_{c}")
        typed_ref[c] = f"v_{c}"
    # Level 4: what is stored, the first rejecting column, odd ids, dates left to type, the
    # text of values stored as NULL.
    checks = _checks(plan, cols, kinds, key_id, typed_ref, shown, pseudo)
    bad = f"CASE {' '.join(w for w, _ in checks)} END" if checks else "CAST(NULL AS VARCHAR)"
    value = (f"CASE {' '.join(v for _, v in checks)} END" if checks
             else "CAST(NULL AS VARCHAR)")
    l4 = ["skip_", "extra"]
    for c in cols:
        ref = typed_ref[c]
        if c == "customer_id" and pseudo is not None:
            ref = pseudo.sql(ref)
        l4.append(f"{ref} AS {c}")
    if plan.kind == "reviews" and "rating" in cols:
        # Told apart by the rating's own words, which the typed rating (5) no longer holds.
        l4.append("ing_default_review(t_rating) AS default_review")
    l4 += [f"{bad} AS bad", f"{value} AS bad_value"]
    for c in ids:
        odd = f"CASE WHEN st_{c} IS NOT NULL THEN t_{c} END"
        if c == "customer_id" and pseudo is not None:
            odd = pseudo.sql(odd)
        l4 += [f"{odd} AS odd_{c}", f"st_{c}"]
    l4 += [f"CASE WHEN v_{c} IS NULL AND t_{c} IS NOT NULL THEN ing_text_slow(t_{c}) END AS r_{c}"
           for c in cols if kinds[c] == "ts"]
    # One list for all of them (NULL for nearly every row): a column each would cost more to
    # store than the rest of the cleaning. Parsed kinds keep the raw text (cleaned when
    # reported; a blank one is no warning).
    nulled = []
    for c in _nullable(plan, cols):
        cond = f"v_{c} IS NULL AND t_{c} IS NOT NULL"
        if kinds[c] == "id":
            cond += f" AND st_{c} IS NULL"
        nulled.append((cond, f"t_{c}"))
    if nulled:
        items = ", ".join(f"CASE WHEN {cond} THEN {text} END" for cond, text in nulled)
        any_nulled = " OR ".join(f"({cond})" for cond, _ in nulled)
        l4.append(f"CASE WHEN {any_nulled} THEN [{items}] END AS w_")
    sql = (f"SELECT {', '.join(l4)} FROM (SELECT {', '.join(l3)} FROM (SELECT {', '.join(l2)} "
           f"FROM (SELECT {', '.join(l1)} FROM (SELECT {', '.join(l0)} FROM {source}))))")
    return sql, params


def _checks(plan, cols, kinds, key_id, typed_ref, shown, pseudo) -> list[tuple[str, str]]:
    """(WHEN … THEN reason, WHEN … THEN value) per check: only the key rejects a row.

    The key id rejects it when damaged, masked or missing (a placeholder is missing). A
    review needs one of review id, text and time instead (its key is then a hash of them);
    a review time left to type is checked again by :func:`type_dates`.
    """
    out = []
    if key_id in cols and kinds[key_id] == "id":
        c = key_id
        value = "NULL" if c == "customer_id" and pseudo is not None else shown[c]
        conds = [(f"st_{c} = 'damaged'", "damaged_id"), (f"st_{c} = 'masked'", "masked_id")]
        if plan.kind != "reviews":
            conds.append((f"{typed_ref[c]} IS NULL", "missing_key"))
        out += [(f"WHEN {cond} THEN '{c}:{reason}'", f"WHEN {cond} THEN {value}")
                for cond, reason in conds]
    if plan.kind == "reviews":
        column, cond = _review_missing(cols, typed_ref, typed=False)
        out.append((f"WHEN {cond} THEN '{column}:missing_key'", f"WHEN {cond} THEN NULL"))
    return out


_REVIEW_NEEDS = ("review_id", "content", "review_time")


def _review_missing(cols, refs: dict, *, typed: bool) -> tuple[str, str]:
    """(the canonical column a rejection names, the condition) of a review with no id, text
    or time. ``typed``: the review time is typed (else its raw text may still be typed)."""
    present = [c for c in _REVIEW_NEEDS if c in cols]
    conds = []
    for c in present:
        if c == "review_time" and not typed:
            conds.append(f"{refs[c]} IS NULL AND (t_{c} IS NULL OR ing_text_slow(t_{c}) IS NULL)")
        else:
            conds.append(f"{refs[c]} IS NULL")
    return present[0], " AND ".join(f"({c})" for c in conds)


def holds_nul(decoded) -> bool:
    """Whether a decoded file (:class:`decode.Decoded`) holds a NUL character anywhere: one
    search of its bytes (~10 ms for 150 MB), which spares searching every value for one."""
    data = getattr(decoded, "data", None)
    if data is not None:
        return b"\x00" in data
    return "\x00" in decoded.text


def build_typed(con, csv_path: str, plan: Plan, *, delimiter: str, skip: int,
                header_mode: bool, pseudo: Pseudonym | None = None, nul: bool = True) -> None:
    """Read, clean and type the CSV into ``ing_typed`` (malformed rows go to the rejects).

    ``nul``: whether the file may hold NUL characters (False when the caller has looked).
    """
    select, params = typed_sql(plan, header_mode=header_mode, pseudo=pseudo, nul=nul)
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
                 day_first: dict | None) -> tuple[dict[str, clean.DateOrder], list[str]]:
    """Day order per date column with values that are not year-first, decided over the
    whole column, and whether it holds Excel serial dates (half of its values or more look
    like one): ({canonical: DateOrder}, ambiguous source headers)."""
    cols = [c for c, n in pending.items() if n]
    if not cols:
        return {}, []
    source_of = {c: plan.headers[p] for p, c in plan.by_position.items()}
    counts = con.execute(clean.date_profile_sql(
        [(f"r_{c}", c) for c in cols], f"(SELECT * FROM {TYPED} WHERE {VALID})")).fetchone()
    given = day_first or {}
    decided, ambiguous = {}, []
    for i, col in enumerate(cols):
        source = source_of.get(col, col)
        wish = given.get(source, given.get(col))
        order, serial, values = counts[5 * i:5 * i + 3], counts[5 * i + 3], counts[5 * i + 4]
        day, is_ambiguous = clean.decide_day_first(tuple(order), wish)
        decided[col] = clean.DateOrder(day, clean.decide_serial(serial, values))
        if is_ambiguous:
            ambiguous.append(source)
    return decided, ambiguous


def type_dates(con, plan: Plan, decided: dict) -> None:
    """Type the pending date texts as decided ({canonical: DateOrder or day_first}); a date
    that still does not parse stays NULL (:func:`value_warnings`). A review left with no id,
    text or time is rejected then."""
    if not decided:
        return
    orders = {c: o if isinstance(o, clean.DateOrder) else clean.DateOrder(bool(o))
              for c, o in decided.items()}
    pending = " OR ".join(f"r_{c} IS NOT NULL" for c in orders)
    sets = ", ".join(f"{c} = CASE WHEN r_{c} IS NULL THEN {c} ELSE "
                     f"{clean.typed_expr(c, f'r_{c}', day_first=o.day_first, serial=o.serial)} END"
                     for c, o in orders.items())
    con.execute(f"UPDATE {TYPED} SET {sets} WHERE NOT skip_ AND ({pending})")
    if plan.kind == "reviews" and "review_time" in orders:
        cols = sources(plan)
        column, cond = _review_missing(cols, {c: c for c in cols}, typed=True)
        con.execute(f"UPDATE {TYPED} SET bad = '{column}:missing_key', bad_value = NULL "
                    f"WHERE NOT skip_ AND bad IS NULL AND r_review_time IS NOT NULL AND {cond}")


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


def _nullable(plan: Plan, cols) -> list[str]:
    """The columns whose values stored as NULL are kept in the list ``w_``, in its order:
    all but the key and the dates (``r_<date>`` keeps theirs)."""
    key_id = clean.KEY_ID[plan.kind]
    return [c for c in cols if c != key_id and clean.value_kind(c) != "ts"]


def _nulled(plan: Plan) -> list[tuple[str, str, str, str]]:
    """(canonical, holder, condition, text) per column whose values may be stored as NULL:
    the condition holds for those values, the text is what the file had (cleaned), and the
    holder column is NULL in every row without such a value."""
    cols = sources(plan)
    listed = _nullable(plan, cols)
    out = []
    for c in cols:
        kind = clean.value_kind(c)
        if kind == "ts":
            out.append((c, f"r_{c}", f"{c} IS NULL AND r_{c} IS NOT NULL", f"r_{c}"))
        elif c in listed:
            item = f"w_[{listed.index(c) + 1}]"
            text = item if kind in ("text", "id") else f"ing_text_slow({item})"
            out.append((c, "w_", f"{text} IS NOT NULL", text))
    return out


def _reason_sql(kind: str, text: str) -> str:
    """The reason code of a value ``text`` of ``kind`` stored as NULL."""
    if kind in ("text", "id"):
        return "'placeholder_nulled'"
    ambiguous = (f"WHEN regexp_full_match({text}, {clean.AMBIGUOUS_NUMBER}) "
                 "THEN 'ambiguous_number' " if kind == "amount" else "")
    return (f"CASE WHEN ing_placeholder_typed({text}) THEN 'placeholder_nulled' {ambiguous}"
            f"ELSE '{REASONS[kind]}' END")


def value_warnings(con, plan: Plan, *, hidden=()) -> list[dict]:
    """Values of kept rows stored as NULL, one warning per column and reason: placeholders
    (``placeholder_nulled``) and values that do not parse (``not_a_date``, ``not_a_number``,
    ``ambiguous_number``, ``not_an_integer``, ``not_a_rating``, ``not_a_boolean``), each
    {column, count, reason, examples: up to 3 distinct texts, first seen first}.

    Columns in ``hidden`` (pseudonymised ids) are reported without examples.
    """
    nulled = _nulled(plan)
    if not nulled:
        return []
    # Rows with nothing stored as NULL (nearly all) are passed over by one test each.
    held = " OR ".join(sorted({f"{holder} IS NOT NULL" for _, holder, _, _ in nulled}))
    counts = con.execute("SELECT " + ", ".join(f"count(*) FILTER (WHERE {cond})"
                                               for _, _, cond, _ in nulled)
                         + f" FROM {TYPED} WHERE ({held}) AND {VALID}").fetchone()
    position = {c: p for p, c in plan.by_position.items()}
    out = []
    # In the file's column order (constants last), like the id warnings.
    found = sorted(zip(nulled, counts), key=lambda x: position.get(x[0][0], len(plan.headers)))
    for (col, holder, cond, text), n in found:
        if not n:
            continue
        reason = _reason_sql(clean.value_kind(col), text)
        rows = con.execute(
            f"SELECT reason, sum(n), list(x ORDER BY first)[1:3] FROM ("
            f"SELECT {reason} AS reason, {text} AS x, count(*) AS n, min(rowid) AS first "
            f"FROM {TYPED} WHERE {holder} IS NOT NULL AND {VALID} AND {cond} GROUP BY ALL) "
            f"GROUP BY reason ORDER BY min(first)").fetchall()
        for why, count, examples in rows:
            out.append({"column": plan.headers[position[col]] if col in position else col,
                        "count": int(count), "reason": why,
                        "examples": [] if col in hidden else list(examples)})
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

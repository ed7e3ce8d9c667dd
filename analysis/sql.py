"""Running the metric SQL: named parameters, result frames and settings over the defaults.

Warehouse level: every definition, stored table and metric module runs its SQL through
these, so this module imports nothing above :mod:`analysis.settings` (and not pandas, which
``.df()`` brings in when a frame is first asked for).
"""

from __future__ import annotations

import re
import warnings
from typing import TYPE_CHECKING

from analysis import settings as settings_mod

if TYPE_CHECKING:
    import pandas as pd

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def used_params(sql: str, params: dict) -> dict:
    """The entries of ``params`` that ``sql`` names (``$name``): DuckDB refuses extras."""
    used = set(_PARAM.findall(sql))
    return {k: v for k, v in params.items() if k in used}


def query_df(con, sql: str, params: dict, *, arrow: bool = False) -> pd.DataFrame:
    """Run named-parameter ``sql`` with only the parameters it uses (DuckDB refuses extras).

    ``arrow`` converts through Arrow: for long lists of text (tens of thousands of rows)
    it is several times cheaper than ``.df()``; text columns come out the same
    (``StringDtype``), DECIMAL columns as ``Decimal`` objects and integers with NULLs as
    floats, so callers using it convert what they need.
    """
    bound = used_params(sql, params)
    if arrow:
        # con.sql would avoid the copy DuckDB warns about, but it refuses to run while an
        # earlier execute() on the same connection is not fetched to the end; the copy is
        # cheap next to .df()'s text conversion.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")
            table = con.execute(sql, bound).to_arrow_table()
        return table.to_pandas()
    return con.execute(sql, bound).df()


def resolve_settings(con, settings: dict | None) -> dict:
    """``settings`` over the defaults, else the stored settings of ``con``."""
    if settings is None:
        return settings_mod.get_all(con)
    return {**settings_mod.DEFAULTS, **settings}

"""From a file's header to a column plan: which position feeds which canonical column.

The user's ``--map`` wins over aliases, ``--set`` fills constants, a saved profile whose
header fingerprint matches is used when no mapping is given, and every other column goes
to ``extra`` so nothing in the file is lost.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from analysis import schema
from analysis.errors import UserError
from analysis.ingest import aliases, clean, profiles


@dataclass
class Plan:
    """Position -> canonical column, constants, and the positions kept in ``extra``."""

    kind: str
    headers: list[str]
    by_position: dict[int, str]
    constants: dict[str, str]
    extra_positions: list[int] = field(default_factory=list)
    platform: str | None = None
    profile: profiles.Profile | None = None

    @property
    def mapped(self) -> set[str]:
        """Canonical columns that get a value from the file or a constant."""
        return set(self.by_position.values()) | set(self.constants)

    def mapping_json(self) -> dict[str, str]:
        """{source header: canonical}, as ``import --json`` reports it."""
        return {self.headers[p]: c for p, c in sorted(self.by_position.items())}


def content_columns(kind: str) -> list[str]:
    """The canonical columns of ``kind`` a file can fill (no bookkeeping)."""
    return schema.columns(kind, bookkeeping=False)


def header_fingerprint(headers: list[str]) -> str:
    """A stable fingerprint of a header row, for matching saved mapping profiles."""
    joined = "\x1f".join(aliases.norm(h) for h in headers)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()


def _check_targets(kind: str, names, *, what: str) -> None:
    allowed = set(content_columns(kind))
    for name in names:
        if name not in allowed:
            raise UserError("ingest.unknown_column", column=name, kind=kind,
                            allowed=", ".join(sorted(allowed)))


# A time span such as 2天13小时0分 (the refund report's 完结时间): never a timestamp.
_DURATION = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*(?:天|小时|时|分钟|分|秒|h|m|s|d)\s*)+$", re.I)
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_PLACEHOLDERS = {"-", "--", "—", "null", "none", "n/a", "空", "无", "0000-00-00"}


def values_fit(canonical: str, values: list[str]) -> bool:
    """Whether the sampled ``values`` of a column can be ``canonical`` at all.

    Only gross misfits are refused (most values of the sample do not fit); the full parse
    later reports single values that do not.
    """
    seen = [v.strip() for v in values if v and v.strip() and v.strip().lower() not in _PLACEHOLDERS]
    if not seen:
        return True
    kind = clean.value_kind(canonical)
    if kind == "ts":
        misfit = [v for v in seen if _DURATION.match(v) or not _DIGIT.search(v)]
    elif kind == "amount":
        misfit = [v for v in seen if not _DIGIT.search(v)]
    elif kind == "rating":
        # A 0–100 score or a count is not a 1–5 rating.
        misfit = [v for v in seen if _NUMBER.match(v) and not 0 <= float(v) <= 5]
    else:
        return True
    return len(misfit) * 2 <= len(seen)


def make_plan(kind: str, headers: list[str], *, mapping: dict | None = None,
              sets: dict | None = None, no_header: bool = False,
              samples: list[list[str]] | None = None) -> Plan:
    """Build the column plan, raising UserError for a mapping that cannot work.

    Parameters
    ----------
    kind : str
        Target table.
    headers : list of str
        Header cells (for headerless files "1", "2", …).
    mapping : dict, optional
        {source: canonical}; with ``no_header`` the source is a 1-based column number.
    sets : dict, optional
        {canonical: constant text}.
    samples : list of list of str, optional
        The first data rows: a column whose values cannot be a canonical column does not
        take it (:func:`values_fit`).
    """
    mapping = {str(k).strip(): v for k, v in (mapping or {}).items()}
    sets = dict(sets or {})
    _check_targets(kind, mapping.values(), what="map")
    _check_targets(kind, sets.keys(), what="set")
    known = {aliases.norm(h) for h in headers}
    for source in mapping:
        if aliases.norm(source) not in known:
            raise UserError("ingest.map_source_missing", source=source,
                            headers=", ".join(headers[:30]))
    profile = None if no_header else profiles.detect(kind, headers)
    if no_header:
        by_position = {int(k) - 1: v for k, v in mapping.items()}
    else:
        rows = samples or []

        def accept(pos: int, canonical: str) -> bool:
            return values_fit(canonical, [r[pos] for r in rows if pos < len(r)])

        by_position = aliases.propose_mapping(kind, headers, mapping, profile=profile,
                                              accept=accept)
    # A constant wins over a column for the same canonical name.
    by_position = {p: c for p, c in by_position.items() if c not in sets}
    extra = [p for p in range(len(headers)) if p not in by_position]
    platform = profile.platform if profile else (
        None if no_header else aliases.detect_platform(headers))
    return Plan(kind, headers, by_position, sets, extra, platform, profile)


def require_key(plan: Plan) -> None:
    """Raise UserError when no mapped column can key ``plan.kind`` (e.g. the wrong kind)."""
    missing = aliases.missing_required(plan.kind, plan.mapped)
    if missing:
        raise UserError("ingest.no_key", kind=plan.kind, required="; ".join(missing),
                        headers=", ".join(plan.headers[:30]))

"""Personal data: who may see it unmasked, and how it is masked for everyone else.

Customer ids stay exactly as exported (the store finds the buyer in its back office by them);
names, phones and addresses are masked (张*, 138****5678, province/city only) unless the
role may see them where it needs them.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import pandas as pd

ROLES = ("viewer", "agent", "operator")
_RANK = {r: i for i, r in enumerate(ROLES)}

_DIGITS = re.compile(r"\d")


def role_at_least(role: str | None, needed: str) -> bool:
    """Whether ``role`` has every right of ``needed`` (viewer < agent < operator)."""
    return role in _RANK and _RANK[role] >= _RANK[needed]


def may_see_personal(role: str | None) -> bool:
    """Agents and operators see phones and names where their work needs them."""
    return role_at_least(role, "agent")


def mask_name(name) -> str | None:
    """张三丰 -> 张**; a Latin name keeps its first letter: Alice -> A****."""
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return None
    s = str(name).strip()
    if not s:
        return s
    return s[0] + "*" * max(len(s) - 1, 1)


# A platform's virtual number (隐私号) with its extension: 17012341234-5678, 170****1234转5678,
# 17012341234,5678. A dash after 11 digits is an extension; after an area code it is not.
_EXTENSION = re.compile(
    r"^(?P<main>.*?[\d*])\s*(?:(?:转|分机|ext\.?|x|#|,|，|;)\s*|(?<=[\d*]{11})\s*-\s*)"
    r"(?P<ext>\d{1,6})\s*$", re.I)


def split_phone(phone) -> tuple[str, str | None] | None:
    """(number, extension or None) of a phone as exported, or None for no phone."""
    if phone is None or (isinstance(phone, float) and pd.isna(phone)):
        return None
    s = str(phone).strip()
    if not s:
        return None
    m = _EXTENSION.match(s)
    return (m["main"].strip(), m["ext"]) if m else (s, None)


def dial_uri(phone) -> str | None:
    """A ``tel:`` link that dials the number, pauses, then the extension (the comma is the
    pause phones understand; a virtual number without its extension reaches nobody)."""
    parts = split_phone(phone)
    if parts is None:
        return None
    main, ext = parts
    digits = re.sub(r"[^\d+]", "", main)
    if not digits or "*" in main:
        return None
    return f"tel:{digits},{ext}" if ext else f"tel:{digits}"


def mask_phone(phone) -> str | None:
    """13812345678 -> 138****5678 (an extension kept: 170****1234-5678); shorter numbers
    keep only their last two digits."""
    parts = split_phone(phone)
    if parts is None:
        return None
    main, ext = parts
    masked = _mask_number(main)
    return f"{masked}-{ext}" if ext else masked


def _mask_number(s: str) -> str:
    if "*" in s:
        return s  # masked by the platform already
    digits = _DIGITS.findall(s)
    if len(digits) >= 11:
        d = "".join(digits)[-11:]
        return f"{d[:3]}****{d[-4:]}"
    if len(digits) <= 2:
        return "*" * len(s)
    return "*" * (len(digits) - 2) + "".join(digits[-2:])


def mask_address(address, province=None, city=None) -> str | None:
    """A street address reduced to province and city (the rest is personal)."""
    if address is None or (isinstance(address, float) and pd.isna(address)):
        return None
    kept = " ".join(str(p) for p in (province, city) if p is not None and not pd.isna(p) and str(p))
    return f"{kept} ***" if kept else "***"


def mask_frame(df: pd.DataFrame, role: str | None, *, unmasked_for_agents: bool = False) -> pd.DataFrame:
    """A copy of ``df`` with buyer_name, phone and address masked for ``role``.

    Parameters
    ----------
    df : DataFrame
        Any table; only the columns ``buyer_name``, ``phone`` and ``address`` are touched.
    role : str
        The signed-in role.
    unmasked_for_agents : bool
        True only for the views where agents and operators need the real data (tonight's
        call list); everywhere else everyone sees masked data.
    """
    if unmasked_for_agents and may_see_personal(role):
        return df
    out = df.copy()
    if "buyer_name" in out:
        out["buyer_name"] = out["buyer_name"].map(mask_name)
    if "phone" in out:
        out["phone"] = out["phone"].map(mask_phone)
    if "address" in out:
        prov = out["province"] if "province" in out else pd.Series(None, index=out.index)
        city = out["city"] if "city" in out else pd.Series(None, index=out.index)
        out["address"] = [mask_address(a, p, c) for a, p, c in zip(out["address"], prov, city)]
    return out


def has_personal_columns(df: pd.DataFrame) -> bool:
    """Whether an export of ``df`` carries personal data (and so goes to the audit log)."""
    return any(c in df.columns for c in ("buyer_name", "phone", "address"))


def pseudonymise(customer_id: str | None, salt: str) -> str | None:
    """A salted, keyed hash of a customer id: the same id always gives the same key."""
    if customer_id is None:
        return None
    digest = hmac.new(salt.encode(), str(customer_id).encode(), hashlib.sha256).hexdigest()
    return "p_" + digest[:20]

"""The "pseudonymise" setting: customer ids replaced at import by a salted, keyed hash.

The hash is :func:`analysis.privacy.pseudonymise` (HMAC-SHA256, ``"p_"`` + 20 hex digits)
written in SQL, so a million rows never pass through Python and the same id gives the same
key in every file (orders, reviews, tickets and contacts still join). HMAC is
``sha256((K ^ opad) || sha256((K ^ ipad) || message))``; the two padded keys are constants
of the salt, computed here and passed as BLOB parameters.

Besides the mapped ``customer_id``, unmapped columns kept in ``extra`` are hashed the same
way when their header names a buyer account (买家会员名, 下单帐号, 昵称, 旺旺 …, any
customer-id alias of any kind), and any other ``extra`` value equal to the row's customer id
is replaced by its pseudonym. Rejection reports and warnings never show a customer id.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from analysis import settings
from analysis.errors import UserError
from analysis.ingest import aliases

SALT_ENV = "INSIGHTS_PSEUDONYM_SALT"
# Header words naming a buyer's account, beyond the customer_id aliases.
_ID_WORDS = ("会员名", "帐号", "账号", "昵称", "旺旺", "用户id", "买家id", "userid", "buyerid",
             "customerid", "openid", "nickname", "username")
_BLOCK = 64  # SHA-256 block size


def _id_headers() -> frozenset[str]:
    names = set()
    for kind in aliases.ALIASES.values():
        names.update(aliases.norm(a) for a in kind.get("customer_id", []))
    return frozenset(names)


@dataclass(frozen=True)
class Pseudonym:
    """HMAC-SHA256 keyed by ``salt``, as SQL."""

    salt: str

    def params(self) -> dict[str, bytes]:
        """The padded keys, as the ``$ps_ipad`` / ``$ps_opad`` parameters of :meth:`sql`."""
        key = self.salt.encode("utf-8")
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        return {"ps_ipad": bytes(b ^ 0x36 for b in key), "ps_opad": bytes(b ^ 0x5C for b in key)}

    @staticmethod
    def sql(text_expr: str) -> str:
        """SQL of the pseudonym of the text ``text_expr`` (NULL stays NULL)."""
        inner = f"unhex(sha256($ps_ipad || encode({text_expr})))"
        return f"('p_' || substr(sha256($ps_opad || {inner}), 1, 20))"

    @staticmethod
    def is_id_header(header: str) -> bool:
        """Whether an unmapped column's header names a buyer account."""
        name = aliases.norm(header).replace("_", "").replace(" ", "")
        return aliases.norm(header) in _id_headers() or any(w in name for w in _ID_WORDS)


def for_import(con, salt: str | None = None) -> Pseudonym | None:
    """The pseudonym to apply, or None when the ``privacy.pseudonymise`` setting is off.

    The salt is ``salt`` (the app passes the secret ``[access] pseudonym_salt``), else the
    environment variable ``INSIGHTS_PSEUDONYM_SALT``.

    Raises
    ------
    UserError
        The setting is on and no salt is given: importing would store raw ids.
    """
    if not settings.get(con, "privacy.pseudonymise"):
        return None
    salt = salt or os.environ.get(SALT_ENV)
    if not salt:
        raise UserError("ingest.pseudonym_salt_missing", env=SALT_ENV)
    return Pseudonym(salt)

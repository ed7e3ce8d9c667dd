"""Errors that are the user's to fix: shown as one line in the user's language, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or request.

    Parameters
    ----------
    key : str
        The i18n catalogue key of the message (``analysis/i18n``).
    **params
        Values for the message's ``{name}`` fields.
    """

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str = "en") -> str:
        """The one-line message in ``lang``."""
        # Lazy: every layer imports this module (the warehouse too), and only a message
        # shown to the user needs the whole catalogue.
        from analysis.i18n import t

        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")

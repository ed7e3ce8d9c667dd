"""Review text before scoring: normalisation, "no text" (placeholder) detection and the
language check.

Pure Python, no jieba, snownlp or scikit-learn: pages import this freely.

Emoji decision: emoji are KEPT, one token per emoji (skin-tone modifiers, variation selectors
and zero-width joiners are dropped so 👍🏻 and 👍 are the same token). The stock model does
not know them (they count as unknown words, as any unknown word does in snownlp), but a store
model learns 😡 and 👍 from the store's own stars. A text made only of emoji, punctuation or
whitespace is still "no text": there is no wording to read.
"""

from __future__ import annotations

import html
import re

# Platform texts written for the buyer when they wrote nothing (Taobao/Tmall, JD, Suning,
# PDD, Douyin), compared after :func:`_bare` (punctuation and whitespace removed).
PLACEHOLDERS = frozenset({
    "此用户未及时填写评价内容",
    "此用户没有填写评论",
    "此用户没有填写评价",
    "此用户未填写评价内容",
    "此用户未填写评价",
    "用户未填写评价内容",
    "用户未及时填写评价内容",
    "买家未填写评价内容",
    "您没有填写内容默认好评",
    "该用户觉得商品不错",
    "该用户觉得商品很好",
    "该用户觉得商品较好",
    "该用户觉得商品非常好",
    "该用户未填写评价内容",
    "系统默认好评",
    "默认好评",
    "评价方未及时做出评价系统默认好评",
    "此用户未及时评价系统默认好评",
    "用户超时未评价系统默认好评",
    "系统默认评价",
    "好评系统默认",
    "无评价内容",
    "用户未评价",
})
# Longer auto-texts vary in their tail ("…给出了5星好评"); these prefixes mark them.
_PLACEHOLDER_PATTERNS = (
    re.compile(r"^(此|该)?用户(未|没有)(及时)?(填写|做出)?(评价|评论)"),
    re.compile(r"^(评价方)?.{0,6}系统默认(好评|评价)$"),
    re.compile(r"^该用户觉得商品.{0,4}(给出了?)?.{0,4}好评$"),
)

# Modifiers that only change how an emoji looks (skin tones, variation selectors, ZWJ) and
# invisible marks (zero-width space, BOM): not words.
_INVISIBLE = re.compile("[\U0001F3FB-\U0001F3FF\uFE0E\uFE0F\u200B-\u200D\uFEFF]")
_SPACES = re.compile(r"\s+")
# Markup pasted or exported with a review (JD writes <br/>): a tag is not wording.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,80}>")
# A run of the same punctuation mark (！！！, 。。。, ~~~) counts once.
_REPEATED_PUNCT = re.compile(r"([!！?？。.,，~～、;；…])\1+")


def normalise(text: str | None) -> str:
    """The text as the models read it: HTML entities decoded and tags dropped, emoji
    modifiers dropped, whitespace runs collapsed to one space, repeated punctuation marks
    collapsed to one.

    Parameters
    ----------
    text : str or None

    Returns
    -------
    str
        ``""`` for None.
    """
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return _REPEATED_PUNCT.sub(r"\1", text)


# Letters and digits of any script are wording; punctuation, symbols (emoji are "So"),
# marks and separators are not.
_WORDING = re.compile(r"[^\W_]")
# No placeholder is longer than this, so longer texts skip the placeholder check.
_LONGEST_PLACEHOLDER = 40


def _bare(text: str) -> str:
    return "".join(_WORDING.findall(text))


def is_no_text(text: str | None) -> bool:
    """True when a review text has nothing to score: empty, whitespace, punctuation or emoji
    only, or a platform placeholder (此用户未及时填写评价内容, 系统默认好评 …).

    Parameters
    ----------
    text : str or None

    Returns
    -------
    bool
    """
    return nothing_to_score(normalise(text))


def nothing_to_score(normalised: str) -> bool:
    """:func:`is_no_text` for a text already passed through :func:`normalise`."""
    if _LETTER.search(normalised) is None:  # digits, punctuation and emoji say nothing
        return True
    if len(normalised) > _LONGEST_PLACEHOLDER:
        return False
    bare = _bare(normalised)
    if not bare:
        return True
    if bare in PLACEHOLDERS:
        return True
    return len(bare) <= 30 and any(p.search(bare) for p in _PLACEHOLDER_PATTERNS)


# Han characters (CJK unified ideographs, extensions A-F, compatibility ideographs), and the
# scripts whose texts also use them but are not Chinese (kana, hangul).
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_KANA_HANGUL = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff]")
# A letter of any script (no digit, no underscore).
_LETTER = re.compile(r"[^\W\d_]")

NO_TEXT, NOT_CHINESE, CHINESE = "no_text", "not_chinese", "chinese"


def is_chinese(normalised: str) -> bool:
    """True when a text is written in Chinese: it has Han characters, and more of them than
    kana and hangul (Japanese and Korean use Han characters too). "iPhone很好用" is Chinese;
    "Produto ótimo", "good" and "とても良い" are not.

    The Chinese models have never seen Portuguese or English, and would score such a text
    from its letters alone: it is counted as not scored instead.
    """
    han = len(_HAN.findall(normalised))
    return han > 0 and han > len(_KANA_HANGUL.findall(normalised))


def text_status(text: str | None) -> str:
    """What the scorer does with a review text: :data:`NO_TEXT` (nothing to score),
    :data:`NOT_CHINESE` (wording in another language, not scored) or :data:`CHINESE`.

    Parameters
    ----------
    text : str or None

    Returns
    -------
    str
    """
    return status_of_normalised(normalise(text))


def status_of_normalised(normalised: str) -> str:
    """:func:`text_status` for a text already passed through :func:`normalise`."""
    if nothing_to_score(normalised):
        return NO_TEXT
    return CHINESE if is_chinese(normalised) else NOT_CHINESE

"""snownlp's naive-Bayes model on words cut by jieba: the ``snownlp`` model, kept to compare
with (bench/sentiment.py, the 模型 section).

snownlp's ``Sentiment.classify`` cuts words with its own segmenter (95 % of its time), drops
its stopwords and asks ``Bayes.classify`` for the class. Here words come from
``jieba.lcut(text, HMM=False)`` and the probability is computed from the same frequency
tables with the same floating-point operations in the same order, so the result equals
``snownlp.sentiment.classifier.classifier.classify(words)`` bit for bit; the per-word
logarithms are looked up instead of recomputed.

Neither jieba nor snownlp is imported at module import: the tables are read straight from
snownlp's package files, and jieba is loaded on the first text to cut.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import marshal
import math

from analysis.sentiment.normalise import normalise
from analysis.sentiment.stock import snownlp_dir

# Raise when the way words are cut or scored changes (a new id, so old scores are not reused).
CODE_VERSION = "bayes-jieba-1"


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """snownlp's stopword list (what its ``Sentiment.handle`` filters out)."""
    path = snownlp_dir() / "normal" / "stopwords.txt"
    with open(path, encoding="utf-8") as f:
        return frozenset(line.strip() for line in f)


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba  # lazy: its dictionary takes a second to load; the n-gram models need none

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def cut(text: str, *, normalised: bool = False) -> list[str]:
    """The words the classifier sees: jieba words of the normalised text (HMM off, which
    scores slightly better on shopping reviews), whitespace and snownlp stopwords removed."""
    stop = stopwords()
    words = _jieba().lcut(text if normalised else normalise(text), HMM=False)
    return [w for w in words if w not in stop and not w.isspace()]


class BayesModel:
    """A two-class naive-Bayes model in snownlp's form (add-one counts per class).

    Parameters
    ----------
    classes : dict
        class name -> {"total": float, "none": int, "d": {word: count}}, in snownlp's
        order (the order decides ties exactly as snownlp does).
    """

    def __init__(self, classes: dict):
        self.classes = classes
        names = list(classes)
        if sorted(names) != ["neg", "pos"]:
            raise ValueError(f"expected classes neg and pos, got {names}")
        self._order = names
        total = sum(c["total"] for c in classes.values())
        # The same expressions as Bayes.classify: log(getsum()) - log(total) and
        # log(float(count) / getsum()) per word.
        self._prior = [math.log(classes[k]["total"]) - math.log(total) for k in names]
        self._unknown = tuple(
            math.log(float(classes[k]["none"]) / classes[k]["total"]) for k in names
        )
        vocab = set().union(*(classes[k]["d"] for k in names))
        self._logs = {
            w: tuple(
                math.log(float(classes[k]["d"].get(w, classes[k]["none"])) / classes[k]["total"])
                for k in names
            )
            for w in vocab
        }

    def _class_logs(self, words: list[str]) -> tuple[float, float]:
        a, b = self._prior
        logs, unknown = self._logs, self._unknown
        for w in words:
            la, lb = logs.get(w, unknown)
            a += la
            b += lb
        return a, b

    def log_odds(self, words: list[str]) -> float:
        """log P(pos | words) - log P(neg | words): the raw score."""
        tmp = self._class_logs(words)
        pos = self._order.index("pos")
        return tmp[pos] - tmp[1 - pos]

    def classify_words(self, words: list[str]) -> float:
        """Positive probability of a word list: what snownlp's ``Sentiment`` returns."""
        tmp = self._class_logs(words)
        ret, prob = None, 0
        for i in (0, 1):
            now = 0
            try:
                for j in (0, 1):
                    now += math.exp(tmp[j] - tmp[i])
                now = 1 / now
            except OverflowError:
                now = 0
            if now > prob:
                ret, prob = self._order[i], now
        return prob if ret == "pos" else 1 - prob


def _marshal_path():
    return snownlp_dir() / "sentiment" / "sentiment.marshal.3"


@functools.lru_cache(maxsize=1)
def snownlp_model() -> BayesModel:
    """snownlp's bundled model (book, hotel and shopping reviews), read from its marshal
    file without importing snownlp."""
    with gzip.open(_marshal_path(), "rb") as f:
        data = marshal.loads(f.read())
    return BayesModel({k: {"total": float(v["total"]), "none": v["none"], "d": v["d"]}
                       for k, v in data["d"].items()})


@functools.lru_cache(maxsize=1)
def snownlp_id() -> str:
    """The model id of the ``snownlp`` model: its tables' hash and this code's version."""
    h = hashlib.sha256(_marshal_path().read_bytes())
    h.update(CODE_VERSION.encode())
    return f"snownlp-{h.hexdigest()[:12]}"

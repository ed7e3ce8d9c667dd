"""Large batches on every core: a first ``import`` or ``score`` of a big store scores its
texts in worker processes (the featuriser is Python code that holds the GIL, so threads
would not help).

Workers are forked from this process, so they start at once with the model already in
memory. That is safe only in a process that runs no other thread (the command line, the
benchmark): a fork copies only the calling thread, and a lock another thread held would stay
locked in the child forever. A process with threads (the Streamlit server) scores in its own
thread instead, at the one-core rate (30,000 texts/s on real reviews, so 200,000 new texts
take seconds); a fork server or spawned workers would re-run the server's main script. Batches
below :data:`MIN_BATCH` texts are scored here too: starting workers would cost more than it
saves.
"""

from __future__ import annotations

import multiprocessing
import os
import threading

import numpy as np

from analysis.sentiment import ngram

MIN_BATCH = 20_000
# Chunks per worker: small enough to even out long and short texts, large enough that
# passing them costs nothing next to scoring them.
CHUNKS_PER_WORKER = 4

_worker_scorer = None


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _score_chunk(texts: list[str]) -> np.ndarray:
    return _worker_scorer.probabilities(texts)


def _hash_chunk(texts: list[str]):
    return ngram.hashed(texts)


def _chunks(texts: list[str], n: int) -> list[list[str]]:
    size = -(-len(texts) // n)
    return [texts[i:i + size] for i in range(0, len(texts), size)]


def _workers(n_texts: int, workers: int | None) -> int:
    """How many worker processes a batch gets: 0 means score here."""
    workers = cores() if workers is None else workers
    if workers < 2 or n_texts < MIN_BATCH or threading.active_count() > 1:
        return 0
    return workers


def probabilities(scorer, texts: list[str], *, workers: int | None = None) -> np.ndarray:
    """``scorer.probabilities(texts)``, on every core for a large batch.

    Parameters
    ----------
    scorer : analysis.sentiment.model.NgramScorer
    texts : list of str
        Normalised Chinese texts.
    workers : int, optional
        Worker processes (default: every core; 1 scores here).
    """
    global _worker_scorer
    n = _workers(len(texts), workers)
    if not n:
        return scorer.probabilities(texts)
    _worker_scorer = scorer  # inherited by the forked workers
    with multiprocessing.get_context("fork").Pool(n) as pool:
        parts = pool.map(_score_chunk, _chunks(texts, n * CHUNKS_PER_WORKER))
    return np.concatenate(parts)


def hashed(texts: list[str], *, workers: int | None = None):
    """:func:`analysis.sentiment.ngram.hashed`, on every core for a large batch (training
    on a big store)."""
    import scipy.sparse as sp  # lazy: only a large training batch stacks matrices

    n = _workers(len(texts), workers)
    if not n:
        return ngram.hashed(texts)
    with multiprocessing.get_context("fork").Pool(n) as pool:
        parts = pool.map(_hash_chunk, _chunks(texts, n * CHUNKS_PER_WORKER))
    return sp.vstack(parts, format="csr")

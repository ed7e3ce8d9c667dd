"""The server loads jieba's dictionary and TF-IDF table at start, in the background."""

from __future__ import annotations

import sys

from analysis.sentiment import model
from pages._ui import warmup


def test_start_loads_the_words_once_in_the_background():
    thread = warmup.start()
    assert thread.daemon
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert model._jieba.cache_info().currsize == 1
    assert "jieba.analyse" in sys.modules
    assert warmup.start() is thread  # once per process

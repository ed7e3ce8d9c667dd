"""What the server loads once at start, in the background, so that no visitor waits for it.

jieba's dictionary and TF-IDF table take ~1.4 s to load; without this the first visitor of
the reviews page (keywords) or the first upload (scoring) would wait for them.
"""

from __future__ import annotations

import threading

import streamlit as st

from analysis.sentiment import model


@st.cache_resource(show_spinner=False)
def start() -> threading.Thread:
    """Start loading, once per server process (later calls return the same thread)."""
    thread = threading.Thread(target=model.preload, name="preload-words", daemon=True)
    thread.start()
    return thread

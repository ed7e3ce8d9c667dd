"""Streamlit-side helpers shared by app.py and every page (not a page itself: Streamlit
only treats ``*.py`` files directly inside ``pages/`` as pages)."""

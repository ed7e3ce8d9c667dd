"""Review & Loyalty Insights: the entry point (``streamlit run app.py``).

Navigation is declared here with ``st.navigation`` so that Streamlit's own ``pages/``
auto-discovery decides nothing; each page still guards itself (see pages/_ui/shell.py).
"""

import streamlit as st

from pages._ui import shell, state, warmup

st.set_page_config(page_title="评价与忠诚度洞察 · Review & Loyalty Insights", page_icon="⭐",
                   layout="wide")

warmup.start()
with state.run_scope():  # one database cursor for the whole run, opened on demand
    ctx = shell.page("viewer", entry=True)
    current = shell.navigation(ctx)
    shell.resume_after_sign_in(ctx)
    shell.sidebar(ctx)
    current.run()

"""数据导入 / Upload: choose, preview, map, import with progress, report, history (operators)."""

import hashlib

import streamlit as st

from analysis import catalog, ingest
from analysis.errors import UserError
from analysis.schema import DEFAULT_SHOP
from pages._ui import auth, shell, state, upload_parts, widgets

ctx = shell.page("operator")
st.title(ctx.t("nav.upload"))
st.caption(ctx.t("upload.intro"))

KINDS = ("orders", "order_items", "reviews", "tickets", "contacts")
c1, c2 = st.columns(2)
kind = c1.selectbox(ctx.t("upload.kind"), KINDS, key="upload_kind",
                    format_func=lambda k: ctx.t(f"upload.kind.{k}"))
# Empty: the file's shop column, else the shop of the orders it refers to.
shop = c2.text_input(ctx.t("upload.shop"), value=ctx.shop or "", key="upload_shop",
                     placeholder=ctx.t("upload.shop_auto"), help=ctx.t("upload.shop_help")).strip()
st.caption(ctx.t(f"upload.where.{kind}"))

# A new key after each import empties the uploader, so the next file starts clean.
run_no = st.session_state.setdefault("upload_run", 0)
uploaded = st.file_uploader(ctx.t("upload.file"), type=["csv", "txt", "tsv", "xlsx", "xls", "zip"],
                            key=f"uploader_{run_no}")
no_header = st.checkbox(ctx.t("upload.no_header"), key=f"no_header_{run_no}")

if uploaded is not None:
    data = uploaded.getvalue()
    try:
        pv = ingest.preview(data, uploaded.name, kind, no_header=no_header)
    except UserError as exc:
        st.error(exc.message(ctx.lang))
        pv = None
    if pv is not None:
        st.caption(ctx.t("upload.detected", encoding=pv.encoding,
                         platform=upload_parts.platform_name(ctx, pv.platform)))
        widgets.table(ctx, pv.sample, height=220)
        upload_parts.preview_checks(ctx, pv)
        if not shop and "shop" not in pv.proposed_mapping.values() and state.store_db().exists():
            named = [s for s in state.query(catalog.shops) if s != DEFAULT_SHOP]
            if len(named) > 1:
                # Several shops and no shop column: the orders decide, else the page asks.
                st.info(ctx.t("upload.shop_ask", shops="、".join(named)))
        profiles = state.query(ingest.saved_profiles, kind)
        proposed = dict(pv.proposed_mapping)
        if state.store_db().exists():
            # The same file again: propose what it was imported with (a no-op unless changed).
            before = state.query(ingest.prior_mapping, hashlib.sha256(data).hexdigest(), kind)
            proposed = {h: before[h] for h in pv.headers if h in before} if before else proposed
        names = [p["name"] for p in profiles]
        if names:
            chosen = st.selectbox(ctx.t("upload.profile"), [""] + names, key=f"profile_{run_no}",
                                  format_func=lambda n: n or ctx.t("upload.profile.none"))
            if chosen:
                saved = next(p for p in profiles if p["name"] == chosen)["mapping"]
                proposed = {h: saved[h] for h in pv.headers if h in saved}
        st.subheader(ctx.t("upload.mapping"))
        mapping = upload_parts.mapping_editor(ctx, kind, pv.headers, proposed, key=f"m{run_no}")
        day_first = upload_parts.date_order_questions(ctx, pv.ambiguous_date_columns, key=f"d{run_no}")
        profile_name = st.text_input(ctx.t("upload.save_profile"), key=f"profile_name_{run_no}")
        if st.button(ctx.t("upload.import"), type="primary", key=f"import_{run_no}"):
            bar = st.progress(0.0, text=ctx.t("upload.importing"))
            show = lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m)  # noqa: E731

            def import_then_score(con):
                # One write: the stored tables are rebuilt once, after the scores are in.
                rep = ingest.import_bytes(
                    con, data, uploaded.name, kind, mapping=mapping,
                    sets={"shop": shop} if shop else None, no_header=no_header, day_first=day_first,
                    imported_by=auth.current_actor(), salt=auth.pseudonym_salt(), progress=show)
                if profile_name.strip():
                    ingest.save_profile(con, profile_name.strip(), kind, pv.headers, mapping)
                if kind == "reviews" and rep.get("inserted", 0) + rep.get("updated", 0):
                    from analysis.sentiment import score_reviews

                    bar.progress(0.0, text=ctx.t("upload.scoring"))
                    score_reviews(con, progress=show)
                return rep

            try:
                rep = state.write(import_then_score)
            except UserError as exc:
                st.error(exc.message(ctx.lang))
            else:
                st.session_state["upload_report"] = rep
                st.session_state["upload_run"] = run_no + 1
                st.rerun()

if "upload_report" in st.session_state:
    upload_parts.report(ctx, st.session_state["upload_report"])

st.subheader(ctx.t("upload.history"))
if state.store_db().exists():
    history = state.query(ingest.import_history)
    widgets.table(ctx, history, height=260)
    live = history[history["deleted_at"].isna()] if "deleted_at" in history else history
    if not live.empty:
        d1, d2 = st.columns([3, 1])
        target = d1.selectbox(ctx.t("upload.delete_pick"), list(live["import_id"]), key="delete_pick",
                              format_func=lambda i: f"#{i} · {live.set_index('import_id').loc[i, 'file_name']}")
        if d2.button(ctx.t("upload.delete"), key="delete_import"):
            res = state.write(ingest.delete_import, int(target), deleted_by=auth.current_actor())
            st.session_state.pop("upload_report", None)
            st.success(ctx.t("upload.deleted", id=target, rows=res.get("deleted", 0)))
else:
    st.info(ctx.t("upload.no_history"))

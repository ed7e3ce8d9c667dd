"""设置 / Settings: every threshold, shown to everyone, changed by operators."""

import streamlit as st

from analysis import settings as settings_mod
from pages._ui import auth, shell, state, widgets

ctx = shell.page("viewer")
st.title(ctx.t("settings.title"))
values = state.query(settings_mod.get_all)
editable = ctx.can("operator")
if not editable:
    st.info(ctx.t("settings.read_only"))

groups: dict[str, list[str]] = {}
for key in settings_mod.DEFAULTS:
    groups.setdefault(key.split(".")[0], []).append(key)

with st.form("settings_form"):
    new_values = {}
    for group, keys in groups.items():
        st.subheader(ctx.t(f"settings.group.{group}"))
        for key in keys:
            label = ctx.t(f"setting.{key}")
            new_values[key] = widgets.setting_input(key, values[key], label, disabled=not editable)
    saved = st.form_submit_button(ctx.t("settings.save"), disabled=not editable)

if saved and editable:
    try:
        changed = settings_mod.changes(values, new_values)
    except ValueError as exc:
        st.error(ctx.t("settings.invalid", name=exc.args[0], value=exc.args[1]))
    else:
        state.write_active(settings_mod.put_many, changed, by=auth.current_actor())
        st.success(ctx.t("settings.saved", n=len(changed)))

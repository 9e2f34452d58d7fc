"""The Overview page's subject: who buys (OLI vacancies by employer country)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, i18n
from dashboard.hover import wrap
from dashboard.i18n import t
from dashboard.names import name


def top_buyers(count: int) -> tuple[pd.DataFrame, go.Figure]:
    """Cached per language; the figure is shared: copy it (go.Figure(fig)) before changing it."""
    return _top_buyers(count, i18n.lang())


@st.cache_resource(show_spinner=False)
def _top_buyers(count: int, lang: str) -> tuple[pd.DataFrame, go.Figure]:
    """The employer countries with the largest shares of OLI vacancies, as bars."""
    demand = data.table("oli_demand")
    by_country = (
        demand.groupby(["iso3", "snapshot_date", "source_id"], as_index=False)
        .agg(vacancies=("vacancies", "sum"), share=("share_of_all_vacancies_percent", "sum"))
        .nlargest(count, "share")
    )
    by_country["country"] = by_country["iso3"].map(name)
    cite = data.citations()
    by_country["hover"] = [
        f"<b>{wrap(r.country)}</b><br>{i18n.percent(r.share, 1)} {t('map.of_vacancies')}, {r.snapshot_date}"
        f"<br><i>{cite[r.source_id]}</i>"
        for r in by_country.itertuples()
    ]
    figure = charts.bars(by_country, "share", "country", "hover", t("overview.share_axis"))
    return by_country, figure

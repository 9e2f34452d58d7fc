"""Flows: who buys online work from whom, measured on one large platform in 2014 and 2015."""

from __future__ import annotations

import contextlib
import functools

import streamlit as st

from dashboard import data, embed, flows, i18n, regions, url_state
from dashboard.components import chart, plain, source_caption, stand_in, table_and_csv
from dashboard.flows import CLASSIFICATIONS, DIRECTIONS, GROUPINGS, LEVELS, YEARS
from dashboard.i18n import t
from dashboard.names import name

url_state.choice("year", YEARS, 2015, parse=int)
url_state.integer("top", flows.DEFAULT_TOP, 5, 200)
url_state.choice("classification", CLASSIFICATIONS, "wb")
url_state.choice("level", LEVELS, "countries")
url_state.choice("focus", flows.valid_places(), "")
url_state.choice("direction", DIRECTIONS, "both")
url_state.choice("grouping", GROUPINGS, "north_south")
url_state.choice("inside", regions.country_options(), regions.DEFAULT_COUNTRY)
url_state.choice("view", flows.VIEWS, "map")
flows.settle_focus(str(url_state.current("level")))

st.title(t("flows.title"))
st.write(t("flows.intro"))
st.info(flows.measured_note())

# Above the tabs: what every part of the page follows (the year; the level for the map and the
# change; the colours for the map and the groups). Inside the map's tab: what only the map follows.
c1, c2, c3 = st.columns([1, 2, 2])
year = c1.radio(t("flows.year"), YEARS, horizontal=True, **url_state.bind("year"))
level = c2.radio(
    t("flows.level"),
    LEVELS,
    horizontal=True,
    format_func=lambda v: t(f"flows.level.{v}"),
    **url_state.bind("level"),
)
classification = c3.radio(
    t("flows.colour_by"),
    CLASSIFICATIONS,
    horizontal=True,
    format_func=lambda c: t(f"map.classification.{c}"),
    **url_state.bind("classification"),
)

tabs = flows.view_tabs(str(url_state.current("view")))

with tabs["map"]:
    if tabs["map"].open:
        c1, c2, c3, c4 = st.columns([2, 3, 3, 2], vertical_alignment="bottom")
        top = c1.slider(t("flows.top"), 5, 200, step=5, **url_state.bind("top"))
        focus = c2.selectbox(
            t("flows.focus"),
            flows.focus_options(str(url_state.current("focus"))),
            format_func=lambda c: t("flows.focus_all") if not c else flows.place_name(c),
            **url_state.bind("focus"),
        )
        direction = c3.radio(
            t("flows.direction"),
            DIRECTIONS,
            horizontal=True,
            format_func=lambda d: t(f"flows.direction.{d}"),
            disabled=not focus,
            **url_state.bind("direction"),
        )
        c4.button(t("flows.clear"), on_click=url_state.set_value, args=("focus", ""), disabled=not focus)

        st.subheader(t("flows.arcs_title", year=year))
        focus, missing = flows.focus_in(focus, year, level)
        if missing:
            st.info(missing)
        chosen = flows.view(year, top, classification, focus, level, direction)
        map_key = f"flowmap-{level}-{focus}"
        # One name for the map of this view: `?embed=true&chart=…` draws it (with its legends) in the
        # embedded box; the lesson, the embed PNGs and the lesson pack take its plotly drawing.
        map_name = f"flows-map-{level}-{year}"
        box = embed.box_for(map_name)
        with box if box is not None else contextlib.nullcontext():
            st.pydeck_chart(
                flows.deck(year, top, classification, focus, level, direction),
                height=620,
                alt=t("flows.arcs_alt", year=year),
                key=map_key,
                on_select=functools.partial(flows.clicked, map_key),
                selection_mode="single-object",
            )
            st.caption(plain(t("flows.arcs_legend")))
            st.caption(plain(t("flows.width_title")))
            st.image(flows.width_legend(level))
        stand_in(
            flows.figure(year, top, classification, focus, level, direction),
            map_name,
            t("flows.arcs_alt", year=year),
        )
        if focus:
            st.markdown(plain(flows.selection_sentence(year, focus, level, direction)))
        st.markdown(plain(flows.summary(chosen, year, top, level, focus)))
        source_caption(
            source_ids=[chosen.source_id, flows.CLASSIFICATION_SOURCES[classification]],
            note=t("flows.arcs_note") + " " + t(f"map.ns_note.{classification}", year=year, fiscal=year + 1),
            cite=t("flows.arcs_title", year=year),
            newest_date=str(year),
        )

        st.subheader(t("flows.table_title", year=year))
        st.markdown(plain(flows.top_lines(chosen, 10)))
        table_and_csv(chosen.table, f"flows-top-pairs-{year}", "pairs")

with tabs["regions"]:
    if tabs["regions"].open:
        st.subheader(t("regions.title", year=year))
        st.write(t("regions.intro"))
        inside = st.selectbox(
            t("regions.country"), regions.country_options(), format_func=name, **url_state.bind("inside")
        )
        for role in regions.ROLES:
            ranked, bars = regions.ranking_chart(inside, year, role)
            if bars is None:
                continue
            title = t(f"regions.{role}s_title", country=name(inside), year=year)
            st.markdown(f"**{plain(title)}**")
            chart(bars, f"regions-{role}s-{inside}-{year}", t("regions.alt"))
            st.markdown(plain(regions.ranking_sentence(inside, year, role)))
            source_caption(ranked, note=t("regions.note"), cite=title)
            table_and_csv(ranked, f"regions-{role}s-{inside}-{year}", f"regions-{role}")
        st.markdown(f"**{plain(t('regions.gdl_title', country=name(inside)))}**")
        over_years, lines = regions.gdl_lines(inside)
        if lines is None:
            st.info(regions.gdl_sentence(inside))
        else:
            chart(lines, f"regions-over-years-{inside}", t("regions.gdl_alt"))
            st.markdown(plain(regions.gdl_sentence(inside)))
            source_caption(over_years, cite=t("regions.gdl_title", country=name(inside)))
            table_and_csv(over_years, f"regions-over-years-{inside}", "regions-years")
            paid, pay = regions.gdl_pay(inside)
            if pay is not None:
                st.markdown(f"**{plain(t('regions.pay_title'))}**")
                chart(pay, f"regions-pay-{inside}", t("regions.pay_alt"))
                source_caption(
                    paid,
                    source_ids=["braesemann-2022-country-data"],
                    note=t("regions.pay_note"),
                    cite=t("regions.pay_title"),
                )
                table_and_csv(paid, f"regions-pay-{inside}", "regions-pay")

first, last = YEARS
with tabs["change"]:
    if tabs["change"].open:
        st.subheader(t("flows.change_title", first=first, last=last))
        changes, change_figure = flows.change_chart(level)
        chart(change_figure, f"flows-change-{level}", t("flows.change_alt", first=first, last=last))
        st.markdown(plain(flows.change_sentence(level)))
        source_caption(
            changes, note=t("flows.change_note"), cite=t("flows.change_title", first=first, last=last)
        )
        table_and_csv(changes, f"flows-change-{level}", "changes")

with tabs["sankey"]:
    if tabs["sankey"].open:
        st.subheader(t("flows.sankey_title", year=year))
        grouping = st.radio(
            t("flows.grouping"),
            GROUPINGS,
            horizontal=True,
            format_func=lambda g: t(f"flows.grouping.{g}"),
            **url_state.bind("grouping"),
        )
        figure, links = flows.sankey(year, classification, grouping)
        chart(figure, f"flows-sankey-{year}", t("flows.sankey_alt", year=year))
        north_south = flows.share_between_sides(year, classification, "North", "South")
        st.markdown(plain(t("flows.north_to_south", share=i18n.percent(north_south, 1), year=year)))
        source_caption(
            links,
            source_ids=[flows.CLASSIFICATION_SOURCES[classification]],
            note=t(f"map.ns_note.{classification}", year=year, fiscal=year + 1),
            cite=t("flows.sankey_title", year=year),
        )
        table_and_csv(links, f"flows-sankey-{year}", "sankey")

with tabs["cases"]:
    if tabs["cases"].open:
        st.subheader(t("flows.cases_title"))
        mentions = data.table("country_mentions")
        farms = mentions[mentions["role"] == "click_farm"]
        for quote, named in farms.groupby("quote", sort=False):
            countries = ", ".join(dict.fromkeys(name(c) for c in named["country_iso3"]))
            st.markdown(f"**{plain(countries)}** — « {plain(quote)} »")
        source_caption(farms, note=t("flows.cases_note"))

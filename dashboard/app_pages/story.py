"""Story mode: a guided path through the atlas for a room, one step at a time."""

from __future__ import annotations

import streamlit as st

from dashboard import url_state
from dashboard.components import chart, per_object, plain, source_caption, table_and_csv
from dashboard.first_chart import rest_of_page
from dashboard.i18n import t
from dashboard.story import STEPS, projected, step_at

count = len(STEPS)
url_state.integer("step", 1, 1, count)


def move(delta: int) -> None:
    url_state.set_value("step", min(count, max(1, int(url_state.current("step")) + delta)))  # type: ignore[call-overload]


number = int(url_state.current("step"))  # type: ignore[call-overload]
step = step_at(number)
# The first screen of a projector holds the step whole: the controls, the title and the sentence
# beside the chart, whose height is fixed (story.CHART_HEIGHT_PX) since the server does not know the
# screen's. Less empty space above the controls than Streamlit's 6rem; type for the back of a room,
# larger on a 1920-pixel screen. Static CSS only, no data in it.
st.html(
    "<style>[data-testid='stMainBlockContainer'] {padding-top: 3.6rem; padding-bottom: 2rem;}"
    " [data-testid='stMainBlockContainer'] h1 {font-size: 2.1rem; line-height: 1.2; padding: 0 0 0.6rem 0;}"
    " [data-testid='stMainBlockContainer'] h2 {font-size: 1.3rem; line-height: 1.3; font-weight: 600;"
    " padding: 0;}"
    " [data-testid='stMainBlockContainer'] [data-testid='stCaptionContainer'] {font-size: 1.15rem;}"
    " [data-testid='stMainBlockContainer'] button p {font-size: 1.3rem;}"
    " @media (min-width: 1600px) {"
    " [data-testid='stMainBlockContainer'] h1 {font-size: 2.6rem;}"
    " [data-testid='stMainBlockContainer'] h2 {font-size: 1.75rem;}}</style>"
)
back, middle, forward = st.columns([1.4, 3, 1.4], vertical_alignment="center")
back.button(t("story.previous"), on_click=move, args=(-1,), disabled=number == 1, width="stretch", key="prev")
middle.select_slider(
    t("story.kicker", n=number, total=count),
    options=list(range(1, count + 1)),
    **url_state.bind("step"),
)
forward.button(
    t("story.next"),
    on_click=move,
    args=(1,),
    disabled=number == count,
    width="stretch",
    type="primary",
    key="next",
)
words, picture = st.columns([2, 3], gap="medium")
words.title(t(f"story.{step.key}.title"))
words.markdown(f"## {plain(step.takeaway)}")
if step.figure is not None:
    figure = step.figure
    with picture:
        chart(
            per_object(figure, "projected", lambda: projected(figure)),
            f"story-{number}",
            t(f"story.{step.key}.alt"),
            key=f"story-chart-{number}",
        )
    rest_of_page()  # the rest of the page once this chart is drawn (dashboard/first_chart.py)
if step.now:
    st.markdown(plain(step.now))
source_caption(
    step.rows, source_ids=step.source_ids, cite=t(f"story.{step.key}.title"), newest_date=step.newest
)
table_and_csv(step.rows, f"story-step-{number}", f"story-{number}", drop=["hover"])

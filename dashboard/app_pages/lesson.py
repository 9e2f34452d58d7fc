"""Lesson: the views a teacher collected, as slides she orders, renames and annotates; its link; its pack."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import i18n, lesson
from dashboard.i18n import t
from dashboard.lesson import MAX_NOTE, MAX_TITLE, Lesson
from dashboard.text import plain

# The lesson comes from the session, or from the link opened (app.py: lesson.read_link()).
current = lesson.current()
generation = lesson.generation()


def _set_text(field: str, key: str, most: int) -> None:
    value = lesson.clean_text(st.session_state.get(key, ""), most)
    lesson.store(replace(lesson.current(), **{field: value}))  # type: ignore[arg-type]  # a text field


def _set_slide(index: int, field: str, key: str, most: int) -> None:
    slides = list(lesson.current().slides)
    if 0 <= index < len(slides):
        value = lesson.clean_text(st.session_state.get(key, ""), most)
        slides[index] = replace(slides[index], **{field: value})  # type: ignore[arg-type]  # a text field
        lesson.store(lesson.current().with_slides(slides))


def _move(index: int, step: int) -> None:
    lesson.store(lesson.current().with_slides(lesson.moved(lesson.current().slides, index, step)), True)


def _remove(index: int) -> None:
    lesson.store(lesson.current().with_slides(lesson.removed(lesson.current().slides, index)), True)


st.title(t("lesson.title"))
st.markdown(t("lesson.intro"))
st.caption(t("lesson.keep_note"))

st.subheader(t("lesson.opening"))
left, right = st.columns(2)
left.text_input(
    t("lesson.lesson_title"),
    value=current.title,
    max_chars=MAX_TITLE,
    key=f"lesson-title-{generation}",
    on_change=_set_text,
    args=("title", f"lesson-title-{generation}", MAX_TITLE),
)
right.text_input(
    t("lesson.lesson_subtitle"),
    value=current.subtitle,
    max_chars=MAX_TITLE,
    key=f"lesson-subtitle-{generation}",
    on_change=_set_text,
    args=("subtitle", f"lesson-subtitle-{generation}", MAX_TITLE),
)

total = len(current.slides)
st.subheader(t("lesson.slides", count=i18n.number(total)))
if not total:
    st.info(t("lesson.empty"))
for index, slide in enumerate(current.slides):
    with st.container(border=True):
        head, buttons = st.columns([1, 1], vertical_alignment="center")
        head.markdown(
            f"**{plain(t('lesson.slide', number=index + 1, total=total))}** · "
            + plain(t("lesson.from_page", page=t(f"nav.{slide.page}")))
        )
        up, down, out = buttons.columns(3)
        up.button(
            t("lesson.up"),
            key=f"lesson-up-{generation}-{index}",
            on_click=_move,
            args=(index, -1),
            disabled=index == 0,
            width="stretch",
        )
        down.button(
            t("lesson.down"),
            key=f"lesson-down-{generation}-{index}",
            on_click=_move,
            args=(index, 1),
            disabled=index == total - 1,
            width="stretch",
        )
        out.button(
            t("lesson.remove"),
            key=f"lesson-remove-{generation}-{index}",
            on_click=_remove,
            args=(index,),
            width="stretch",
        )
        st.markdown(plain(t("lesson.atlas_title", title=slide.label or slide.chart)))
        st.markdown(f"[{plain(t('lesson.open_view'))}]({lesson.view_link(slide, current, i18n.lang())})")
        st.text_input(
            t("lesson.your_title"),
            value=slide.title,
            max_chars=MAX_TITLE,
            key=f"lesson-slide-title-{generation}-{index}",
            on_change=_set_slide,
            args=(index, "title", f"lesson-slide-title-{generation}-{index}", MAX_TITLE),
        )
        st.text_area(
            t("lesson.your_note"),
            value=slide.note,
            max_chars=MAX_NOTE,
            height=90,
            key=f"lesson-slide-note-{generation}-{index}",
            on_change=_set_slide,
            args=(index, "note", f"lesson-slide-note-{generation}-{index}", MAX_NOTE),
        )

st.subheader(t("lesson.closing"))
st.text_area(
    t("lesson.closing_question"),
    value=current.closing,
    max_chars=MAX_NOTE,
    height=90,
    key=f"lesson-closing-{generation}",
    on_change=_set_text,
    args=("closing", f"lesson-closing-{generation}", MAX_NOTE),
)

current = lesson.current()
st.subheader(t("lesson.share"))
st.caption(t("lesson.share_note"))
if current.slides or current != Lesson():
    lesson.link_field(current)

if current.slides:
    st.subheader(t("lesson.take_away"))
    st.caption(t("lesson.pack_note"))
    lesson.pack_controls(current)

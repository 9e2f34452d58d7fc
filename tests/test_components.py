"""What is derived once per shared object (styled figures, CSV exports) stays true to its object."""

from __future__ import annotations

import gc

import pandas as pd
import plotly.graph_objects as go

from dashboard.components import TEXT, per_object, styled


def test_a_derivative_is_made_once_per_live_object() -> None:
    frame = pd.DataFrame({"a": [1, 2]})
    calls: list[int] = []

    def build() -> str:
        calls.append(1)
        return frame.to_csv(index=False)

    first = per_object(frame, "csv", build)
    again = per_object(frame, "csv", build)
    assert first == again == "a\n1\n2\n"
    assert len(calls) == 1


def test_a_new_object_never_gets_the_derivative_of_a_dead_one() -> None:
    # CPython often gives a new object the address (id) of one just freed: the memo must notice.
    seen = []
    for value in range(50):
        frame = pd.DataFrame({"a": [value]})
        seen.append(per_object(frame, "csv", lambda frame=frame: frame.to_csv(index=False)))
        del frame
        gc.collect()
    assert seen == [f"a\n{value}\n" for value in range(50)]


def test_styled_figures_are_copies_with_the_theme_text_colour() -> None:
    figure = go.Figure(go.Bar(x=["a"], y=[1]))
    light, dark = styled(figure, "light"), styled(figure, "dark")
    assert light is not figure and dark is not light
    assert light.layout.font.color == TEXT["light"] and dark.layout.font.color == TEXT["dark"]
    assert light.layout.xaxis.tickfont.color == TEXT["light"]
    assert figure.layout.font.color is None  # the shared original is untouched
    assert styled(figure, "light") is light

"""Charts are sent from JSON made once (components.spec): the element must be exactly the one
st.plotly_chart makes from the same figure, or a Streamlit upgrade has changed its internals."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys
sys.path.insert(0, {root!r})
import plotly.graph_objects as go
import streamlit as st
from dashboard import components

figure = go.Figure(go.Bar(x=["Inde", "Philippines"], y=[19.2, 9.1], hovertext=["a", "b"]))
figure.update_layout(height=430, title="Workers")
shown = components.styled(figure, "light")
if st.query_params.get("way") == "streamlit":
    with components.PLOTLY:
        st.plotly_chart(shown, width="stretch", config=components._config("name"), alt="Alt text", key={key})
else:
    components.chart(figure, "name", "Alt text", key={key})
"""


def _element(way: str, key: str | None) -> object:
    app = AppTest.from_string(SCRIPT.format(root=str(ROOT), key=repr(key)), default_timeout=30)
    app.query_params["way"] = way
    app.run()
    assert not app.exception, app.exception
    (chart,) = app.get("plotly_chart")
    return chart.proto


def test_a_chart_sent_from_its_json_is_the_element_st_plotly_chart_sends() -> None:
    for key in (None, "chart-key"):
        ours, theirs = _element("ours", key), _element("streamlit", key)
        assert ours.spec == theirs.spec
        assert ours.config == theirs.config
        assert ours.alt == theirs.alt == "Alt text"
        assert ours.theme == theirs.theme == "streamlit"
        assert ours.id == theirs.id  # same id: the browser keeps the chart's state across reruns
        assert ours == theirs


def test_a_chart_sent_from_its_json_keeps_its_height() -> None:
    app = AppTest.from_string(SCRIPT.format(root=str(ROOT), key="None"), default_timeout=30)
    app.run()
    (chart,) = app.get("plotly_chart")
    assert '"height":430' in chart.proto.spec

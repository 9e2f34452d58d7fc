"""The floor: the smallest Streamlit app with one control and one chart, timed like the atlas."""

from __future__ import annotations

import json
import os
import time

import plotly.graph_objects as go
import streamlit as st

started = time.perf_counter()
choice = st.radio("Choice", ["a", "b", "c"], key="metric", horizontal=True)
st.query_params["metric"] = choice  # as the atlas does: the URL spells the view out
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 2, 3])), config={"displaylogo": False})
if os.environ.get("ATLAS_TIMINGS"):
    with open(os.environ["ATLAS_TIMINGS"], "a", encoding="utf-8") as log:
        log.write(json.dumps({"page": "empty", "seconds": time.perf_counter() - started}) + "\n")

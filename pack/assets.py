"""The pack's shared files, each written once and loaded by the pages that need it:
plotly.js, plotly's French locale, the world's borders, the style sheet and the pages' script.

plotly.js comes in three bundles of one release: the full one the plotly package ships (which the
app's charts run on too), and plotly's own partial bundles "basic" (scatter, bar) and "geo"
(scatter, scattergeo, choropleth) from npm. A page loads the smallest bundle that has every trace
type its chart draws: the full bundle takes about four times as long to start as "basic" before
anything is drawn (BENCHMARKS.md, Classroom pack: 2.1 s against 0.5 s on this two-core machine);
only the Sankey pages need it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import plotly

from dashboard import charts

HERE = Path(__file__).resolve().parent
DASHBOARD_STATIC = HERE.parent / "dashboard" / "static"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
VENDOR = HERE / "vendor"
# The plotly.js release the vendored files belong to, and each one's SHA-256 (see
# pack/vendor/PROVENANCE.md).
VENDORED_PLOTLY_VERSION = "4.1.1"
VENDORED = {
    "plotly-locale-fr.js": "574102bf085a505e210fef8fce46e09719cf17fbd91844e3c5ab8c0b9f4a6c46",
    "plotly-basic.min.js": "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba",
    "plotly-geo.min.js": "3da0a26e92ce47dad2b18c6e7cf5018335a003f50f5fe41710f52508af579b7c",
}

# Where each shared file goes, relative to the pack's top folder.
PLOTLY = "assets/plotly.min.js"
LOCALE = "assets/plotly-locale-fr.js"
# The bundles, smallest first, with the trace types each draws.
BUNDLES = (
    ("assets/plotly-basic.min.js", frozenset({"scatter", "bar", "pie"})),
    ("assets/plotly-geo.min.js", frozenset({"scatter", "scattergeo", "choropleth"})),
    (PLOTLY, None),  # every trace type
)
WORLD = "assets/world.js"
STYLE = "assets/pack.css"
SCRIPT = "assets/pack.js"


def plotly_version(path: Path = PLOTLY_JS) -> str:
    """The version a plotly.js bundle states in its first lines ("plotly.js (basic - minified) v4.1.1")."""
    head = path.read_text(encoding="utf-8")[:200]
    found = re.search(r"plotly\.js\b[^\n]*? v(\d+\.\d+\.\d+)", head)
    if not found:
        raise RuntimeError(f"{path}: no version in its header")
    return found.group(1)


def bundle_for(trace_types: set[str]) -> str:
    """The smallest plotly.js bundle that draws every one of `trace_types`."""
    for path, types in BUNDLES:
        if types is None or trace_types <= types:
            return path
    raise AssertionError("the last bundle draws every trace type")


def world_script() -> str:
    """The borders every world map draws, as a script that hands them to plotly.js before any map
    asks: plotly.js looks a string `geojson` up in `window.PlotlyGeoAssets` and fetches it only when
    it is missing, and does the same for its base topology. A page opened from file:// may not
    fetch anything, so both are put there: our GeoJSON under the address the app's figures name
    (charts.WORLD_URL), and the app's empty base topology (dashboard/static/topojson/)."""
    world = (DASHBOARD_STATIC / "world.geojson").read_text(encoding="utf-8").strip()
    topology = (DASHBOARD_STATIC / "topojson" / "world_110m.json").read_text(encoding="utf-8").strip()
    return (
        "// The world's borders for the pack's maps (Natural Earth, public domain; see sources.html).\n"
        "window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};\n"
        "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};\n"
        f'window.PlotlyGeoAssets["{charts.WORLD_URL}"] = {world};\n'
        f"window.PlotlyGeoAssets.topojson.world_110m = {topology};\n"
    )


def write(site: Path) -> list[str]:
    """Every shared file into `site`; returns their paths relative to it."""
    files = {PLOTLY: PLOTLY_JS.read_bytes()}
    for name, expected in VENDORED.items():
        content = (VENDOR / name).read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if digest != expected:
            raise RuntimeError(f"{VENDOR / name}: SHA-256 {digest}, expected {expected} (see PROVENANCE.md)")
        files[f"assets/{name}"] = content
    files |= {
        WORLD: world_script().encode("utf-8"),
        STYLE: (HERE / "static" / "pack.css").read_bytes(),
        SCRIPT: (HERE / "static" / "pack.js").read_bytes(),
    }
    for relative, content in files.items():
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return sorted(files)

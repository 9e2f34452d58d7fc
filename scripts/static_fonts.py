"""The two fonts every first visit downloaded and the atlas does not need, made small in the copy of
Streamlit's static files that Caddy serves (scripts/serve.py --prepare-static), at the same hashed
URLs, once per Streamlit version.

- Material Symbols Rounded (375 kB): Streamlit draws its own UI icons (expander arrows, sidebar
  chevrons, the toolbar's download, search and full-screen buttons...) as ligatures of this font:
  the text "expand_more" in this font is one glyph. The atlas shows no icon of its own. Kept: every
  icon whose name appears as a string in Streamlit's JavaScript (a superset of the ones its UI can
  draw), with the letters, digits and "_" its ligatures are made of; every other ligature is removed
  from the font's `rlig` lookup, then its glyph by the subsetter.
- Source Sans (Upright and Italic, 171 and 138 kB): index.html preloads the upright face, but with
  `theme.font` set (.streamlit/config.toml) no text is drawn in it. Kept: .notdef and the space, a
  valid font of a few hundred bytes, so the preload costs its headers and nothing more; were some
  text ever drawn in it, the browser would fall back, glyph by glyph, to the system font.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

LIGATURE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"


def icon_names_in(js_dir: Path) -> set[str]:
    """Every quoted lowercase identifier and `:material/name:` in Streamlit's JavaScript."""
    found: set[str] = set()
    for path in js_dir.glob("*.js"):
        text = path.read_text(encoding="utf-8", errors="replace")
        found.update(re.findall(r"[\"'`]([a-z0-9][a-z0-9_]*)[\"'`]", text))
        found.update(re.findall(r":material/([a-z0-9_]+):", text))
    return found


def _woff2(font: object) -> bytes:
    out = io.BytesIO()
    font.flavor = "woff2"  # type: ignore[attr-defined]
    font.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def subset_material_symbols(path: Path, wanted: set[str]) -> tuple[int, int, int]:
    """Keep only the ligatures (and their glyphs) named in `wanted`; rewrite `path` in place.
    Returns (icons kept, bytes before, bytes after)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    before = path.stat().st_size
    font = TTFont(path)
    keep = {name for name in font.getGlyphOrder() if name.split(".")[0] in wanted}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = table.ExtSubTable if lookup.LookupType == 7 else table
            ligatures = getattr(table, "ligatures", None)
            if ligatures is None:
                continue
            for first in list(ligatures):
                ligatures[first] = [lig for lig in ligatures[first] if lig.LigGlyph in keep]
                if not ligatures[first]:
                    del ligatures[first]
    cmap = font.getBestCmap()
    letters = [cmap[ord(c)] for c in LIGATURE_ALPHABET + " " if ord(c) in cmap]
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=sorted(keep | set(letters)), unicodes=[ord(c) for c in LIGATURE_ALPHABET + " "])
    subsetter.subset(font)
    path.write_bytes(_woff2(font))
    return len([n for n in keep if "." not in n]), before, path.stat().st_size


def empty_font(path: Path) -> tuple[int, int]:
    """Rewrite `path` as the same font with only .notdef and the space. Returns (before, after)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    before = path.stat().st_size
    font = TTFont(path)
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[0x20])
    subsetter.subset(font)
    path.write_bytes(_woff2(font))
    return before, path.stat().st_size


def shrink(static: Path) -> list[str]:
    """In a copy of Streamlit's `static/` folder: what was done, one line per font."""
    media = static / "media"
    done = []
    wanted = icon_names_in(static / "js")
    for path in sorted(media.glob("MaterialSymbols-Rounded.*.woff2")):
        icons, before, after = subset_material_symbols(path, wanted)
        done.append(f"{path.name}: {icons} icons, {before} -> {after} bytes")
    for path in sorted(media.glob("SourceSansVF-*.woff2")):
        before, after = empty_font(path)
        done.append(f"{path.name}: {before} -> {after} bytes")
    return done

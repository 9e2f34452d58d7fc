"""One meaning, one colour, across the whole atlas.

A reader who learns on the Map that blue is the North must not meet blue as "the minimum wage" on
Wages. Every chart that colours a mark by what it means takes the colour from MEANINGS; colours
that carry no meaning (a platform, a country among others) come from elsewhere and never from here.
The first six are the Map's and the Flows page's, kept as they were; the Okabe–Ito hues keep them
apart for colour-blind readers, and the rest are chosen not to be confused with them.
"""

from __future__ import annotations

from types import MappingProxyType


def hex_of(rgb: tuple[int, int, int]) -> str:
    """(0, 114, 178) → "#0072B2"."""
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def rgb_of(hex_colour: str) -> tuple[int, int, int]:
    """ "#0072B2" → (0, 114, 178)."""
    text = hex_colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


NORTH = "#0072B2"  # employers' and countries' North (Map, Flows)
SOUTH = "#E69F00"  # the South
UNCLASSIFIED = hex_of((120, 120, 120))  # in neither list ("neither", "elsewhere")
NO_DATA = "#D4D4D4"  # a country with no value: never zero
GAIN = "#009E73"  # a change up
LOSS = "#D55E00"  # a change down
FOCUS = hex_of((204, 0, 102))  # the place or row the reader chose
MEASURED = "#000000"  # a measured value: pay as reported, an index as computed from its file
MINIMUM_WAGE = "#882255"  # a statutory minimum wage (as an hourly rate, our model)
MODEL = "#555555"  # our model or scenario (drawn dashed besides)
CLAIM = "#CC79A7"  # what a source claims or forecasts, not a measurement
NEUTRAL = "#3A3A3A"  # a mark whose colour says nothing (each one is labelled in words)

MEANINGS = MappingProxyType(
    {
        "north": NORTH,
        "south": SOUTH,
        "unclassified": UNCLASSIFIED,
        "no_data": NO_DATA,
        "gain": GAIN,
        "loss": LOSS,
        "focus": FOCUS,
        "measured": MEASURED,
        "minimum_wage": MINIMUM_WAGE,
        "model": MODEL,
        "claim": CLAIM,
        "neutral": NEUTRAL,
    }
)

"""A cited figure as its source states it: one function writes its value (`stated`), and the hover
text, the plain sentence and the export columns are all built from that one.

The qualifier travels in words ("more than 25%", "about 10%", "up to €12 an hour"), a range stays a
range ("154–435 million workers"), an unnumbered plural stays words ("several hundred million
workers"), with the unit, the period, the population the number counts and the caveat a reader must
see. Whatever we compute (a currency conversion, an hourly rate from a stated duration, our reading
of unnumbered words) is written as ours. A French quote gets our English translation, said to be ours.

`row` is anything with the figures table's columns: a pandas Series, an `itertuples()` row, a dict.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from babel.numbers import get_currency_symbol

from dashboard import i18n
from dashboard.hover import wrap
from dashboard.i18n import t

# The columns a figures export carries after its own leading ones: the value as typed (qualifier,
# value or range, unit, period), who it counts, what is ours about it, the sentence and its source.
# All are columns of the tidy table; `export` puts the language's "as stated" text in front of them.
FIGURE_EXPORT = (
    "qualifier",
    "value_normalised",
    "low_normalised",
    "high_normalised",
    "unit_normalised",
    "period",
    "figure_kind",
    "population_en",
    "population_fr",
    "caveat_en",
    "caveat_fr",
    "conversion",
    "quote",
    "quote_en",
    "source_id",
    "secondary_of",
)

# Signs for compact labels where words do not fit (chart markers); words everywhere else.
QUALIFIER_SIGNS = {
    "about": "≈ ",
    "more_than": "> ",
    "less_than": "< ",
    "nearly": "≈ ",
    "at_least": "≥ ",
    "at_most": "≤ ",
    "up_to": "≤ ",
}
SPANS = ("range", "several")
_VOWELS = tuple("aeiouyéèêàâh")


def _get(row: object) -> dict[str, object]:
    if isinstance(row, pd.Series):
        return row.to_dict()
    return row._asdict() if hasattr(row, "_asdict") else dict(row)  # type: ignore[call-overload]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _text(get: dict[str, object], column: str) -> str:
    value = get.get(column, "")
    return "" if _missing(value) else str(value)


def _in_language(get: dict[str, object], base: str) -> str:
    """`base_fr` for a French reader when it is typed, else `base_en`."""
    french = _text(get, f"{base}_fr")
    return french if i18n.lang() == "fr" and french else _text(get, f"{base}_en")


def _typed(value: float) -> str:
    """A typed number exactly as typed (18,479,402 stays whole; 0.006 keeps its digits)."""
    return i18n.number(value, 6)


def _ordinal(value: float) -> str:
    n = int(value)
    if i18n.lang() == "fr":
        return f"{n}{'er' if n == 1 else 'e'}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _plural(key: str, singular: bool) -> str:
    """The message `key`, or its singular form `key.one` when there is one and the number needs it."""
    if singular and t(f"{key}.one") != f"{key}.one":
        return t(f"{key}.one")
    return t(key)


def unit_label(unit: str, singular: bool = False) -> str:
    """A unit in words for the reader's language ("workers", "heures par semaine")."""
    key = f"unit.{unit}"
    text = _plural(key, singular)
    return unit.replace("_", " ") if text == key else text


def _scale_word(scale: str, singular: bool) -> str:
    return "" if scale in ("", "one") else _plural(f"figure.scale.{scale}", singular)


def _count(values: Sequence[float], scale: str, unit: str) -> str:
    """A count with its scale and unit: 12 million workers, 12 millions de travailleurs,
    1,9 milliard d’utilisateurs, 1 point."""
    number = "–".join(_typed(v) for v in values)
    label = unit_label(unit, singular=list(values) == [1] and scale in ("", "one"))
    word = _scale_word(scale, singular=all(v < 2 for v in values))
    if not word:
        return f"{number} {label}"
    if i18n.lang() == "fr" and scale != "thousand":  # 12 millions de travailleurs, 2 mille partages
        return f"{number} {word} {'d’' if label.startswith(_VOWELS) else 'de '}{label}"
    return f"{number} {word} {label}"


def _money(values: Sequence[float], currency: str, cents: bool, scale: str) -> str:
    """Money as the text gives it: $0.75, 35–70¢, 10 euro cents, $450 million, 7,5 milliards CNY."""
    if cents:
        numbers = "–".join(_typed(v) for v in values)
        key = f"figure.cents.{currency}"
        template = t(key) if t(key) != key else t("figure.cents.other")
        return template.format(number=numbers, currency=currency)

    word = _scale_word(scale, all(v < 2 for v in values))

    def one(value: float) -> str:
        # Whole amounts without cents ($5, $10,379); cents as money writes them ($0.50); a scaled
        # amount with the digits it was given ($7.1 million).
        decimals = len(f"{value:.6f}".rstrip("0").split(".")[1])
        return i18n.money(value, currency, decimals if word or not decimals else max(2, decimals))

    if not word:
        return "–".join(one(v) for v in values)
    if i18n.lang() == "fr":
        symbol = get_currency_symbol(currency, locale=i18n.locale())
        return f"{'–'.join(_typed(v) for v in values)} {word} {symbol}"
    return f"{'–'.join(one(v) for v in values)} {word}"


def _amount(get: dict[str, object], values: Sequence[float]) -> str:
    """One number (or the two ends of a span) with its unit, scale and basis, no qualifier."""
    unit = str(get["unit"])
    scale = _text(get, "scale") or "one"
    currency = _text(get, "currency")
    per = _text(get, "per")
    if currency:
        text = _money(values, currency, "_cent" in unit, scale)
        return f"{text} {t(f'per.{per}')}" if per else text
    joined = "–".join(_typed(v) for v in values)
    if unit == "percent":  # "4.4–12.5%", "4,4–12,5 %": the sign once, where the locale puts it
        text = i18n.percent(values[-1], 3)
        return text.replace(_typed(values[-1]), joined, 1) if len(values) > 1 else text
    if unit == "rank":
        return "–".join(_ordinal(v) for v in values)
    return _count(values, scale, unit)


def stated(row: object, *, period: bool = False, population: bool = False) -> str:
    """The one way a figure's value is written, as its source states it: "more than 25%",
    "about 10%", "up to €12 an hour", "154–435 million workers", "several hundred million workers",
    "0.006¢ per click". `period`: add "(2013)" or "(published 2017)"; `population`: add whose it is."""
    get = _get(row)
    qualifier = str(get["qualifier"])
    words = _in_language(get, "words")
    value, low, high = get.get("value"), get.get("value_low"), get.get("value_high")
    if words:  # the text's own words stand for the number ("several hundred million workers")
        text = words
    elif qualifier in SPANS and not _missing(low) and not _missing(high):
        text = _amount(get, [float(low), float(high)])  # type: ignore[arg-type]
    elif _missing(value):
        text = t("common.no_number")
    else:
        amount = _amount(get, [float(value)])  # type: ignore[arg-type]
        key = f"figure.qualifier.{qualifier}"
        text = t(key, value=amount) if t(key) != key else amount
    if period:
        text += f" ({period_label(row)})"
    if population and (who := _in_language(get, "population")):
        text += " — " + t("figure.population_inline", population=who)
    return text


def period_label(row: object) -> str:
    """The period as the text fixes it ("2016-05 – 2016-09"), else the publication year, said so."""
    get = _get(row)
    if _text(get, "period"):
        return str(get["period"]).replace("/", " – ")
    year = get.get("year")
    if not _missing(year):
        return t("common.published", year=int(year))  # type: ignore[call-overload]
    return t("common.undated")


def _usd(value: float, per: str) -> str:
    """Our US-dollar value of a figure, per its basis: "$13.56 an hour", "$1.2 billion"."""
    for limit, scale in ((1e9, "billion"), (1e6, "million")):
        if value >= limit:
            text = _money([float(f"{value / limit:.3g}")], "USD", False, scale)
            break
    else:
        text = i18n.money(value, "USD", 0 if value >= 100 else None)
    return f"{text} {t(f'per.{per}')}" if per else text


def ours(row: object) -> list[str]:
    """What we computed from the figure, each said to be ours: the US-dollar value at a cited rate,
    the hourly equivalent of a per-unit price from a stated duration, our reading of unnumbered words."""
    get = _get(row)
    lines = []
    if str(get["qualifier"]) == "several" and not _missing(get.get("value_low")):
        span = _amount(get, [float(get["value_low"]), float(get["value_high"])])  # type: ignore[arg-type]
        lines.append(t("figure.ours.reading", span=span))
    currency, per = _text(get, "currency"), _text(get, "per")
    pairs = [("value_normalised", "value_usd_nominal"), ("low_normalised", "low_usd_nominal")]
    typed, usd = next(
        ((get[a], get[b]) for a, b in pairs if not _missing(get.get(b)) and not _missing(get.get(a))),
        (None, None),
    )
    rate = ""
    if currency and currency != "USD" and usd:
        rate = t(
            "figure.ours.rate",
            rate=i18n.significant(float(typed) / float(usd), 4),  # type: ignore[arg-type]
            currency=currency,
            year=int(get["year"]),  # type: ignore[call-overload]
        )
        lines.append(t("figure.ours.converted", usd=_usd_span(get, "usd_nominal", per), rate=rate))
    seconds = get.get("seconds_per_unit")
    hourly = not _missing(get.get("usd_per_hour")) or not _missing(get.get("usd_per_hour_low"))
    if hourly and per not in ("hour", "minute", "") and not _missing(seconds):
        lines.append(
            t(
                "figure.ours.hourly",
                usd=_usd_span(get, "usd_per_hour", "hour"),
                per=t(f"per.{per}"),
                count=i18n.significant(3600 / float(seconds), 3),  # type: ignore[arg-type]
                seconds=i18n.significant(float(seconds), 3),  # type: ignore[arg-type]
                rate=t("figure.ours.also", rate=rate) if rate else "",
            )
        )
    elif hourly and per == "minute":
        lines.append(
            t(
                "figure.ours.per_minute",
                usd=_usd_span(get, "usd_per_hour", "hour"),
                rate=t("figure.ours.also", rate=rate) if rate else "",
            )
        )
    return lines


def _usd_span(get: dict[str, object], kind: str, per: str) -> str:
    """Our dollar value, or both ends of a range, for the columns of `kind` (usd_nominal, usd_per_hour)."""
    columns = (
        ("usd_per_hour", "usd_per_hour_low", "usd_per_hour_high")
        if kind == "usd_per_hour"
        else ("value_usd_nominal", "low_usd_nominal", "high_usd_nominal")
    )
    centre, low, high = (get.get(c) for c in columns)
    if not _missing(centre):
        return _usd(float(centre), per)  # type: ignore[arg-type]
    return f"{_usd(float(low), '')}–{_usd(float(high), per)}"  # type: ignore[arg-type]


def caveat(row: object) -> str:
    """What a reader must know to read the figure (a misquotation, a reading of ours), or ''."""
    return _in_language(_get(row), "caveat")


def quote(row: object) -> str:
    """The exact sentence in « », and for an English reader of a French one, our translation, said so."""
    get = _get(row)
    text = f"« {_text(get, 'quote')} »"
    translation = _text(get, "quote_en")
    if translation and i18n.lang() == "en":
        text += " " + t("figure.our_translation", translation=translation)
    return text


def label(row: object) -> str:
    get = _get(row)
    return _in_language(get, "label")


def citation(row: object) -> str:
    get = _get(row)
    text = _text(get, "citation") or _text(get, "source_id")
    study = _text(get, "study_citation")
    return text + (f" — {t('common.relaying')} {study}" if study else "")


def sentence(row: object) -> str:
    """The plain-text form for sentences and table cells: value as stated with its period, whose it
    is, what is ours and the caveat ("more than 25% (2018) — population: workers observed by the
    Online Labour Index. Caution: …")."""
    parts = [stated(row, period=True, population=True)]
    parts += ours(row)
    if text := caveat(row):
        parts.append(t("figure.caveat", caveat=text))
    return _keep(" ".join(parts))


def _keep(text: str) -> str:
    """Guillemets held to their words (no line break after « or before »)."""
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


def hover(row: object) -> str:
    """Plotly hover text: label, value as stated with its period, whose it is, what is ours, the
    caveat, the exact quote (with our translation for an English reader) and the citation."""
    get = _get(row)
    lines = [f"<b>{wrap(label(row))}</b>", stated(row, period=True)]
    if who := _in_language(get, "population"):
        lines.append(t("figure.population", population=who))
    lines += ours(row)
    if text := caveat(row):
        lines.append(t("figure.caveat", caveat=text))
    lines.append(quote(row))
    lines.append(f"<i>{wrap(_keep(citation(row)))}</i>")
    return "<br>".join(lines[:1] + [wrap(_keep(line)) for line in lines[1:-1]] + lines[-1:])


def export(frame: pd.DataFrame, leading: Sequence[str] = ("figure_id",)) -> pd.DataFrame:
    """Figure rows for a CSV or a table view: `leading` columns, then the value as stated in the
    reader's language (qualifier in words, unit, period), whose it is, what is ours and the caveat,
    then FIGURE_EXPORT."""
    rows = list(frame.itertuples(index=False))
    texts = pd.DataFrame(
        {
            "as_stated": [stated(r, period=True) for r in rows],
            "population": [_in_language(_get(r), "population") for r in rows],
            "ours": ["; ".join(ours(r)) for r in rows],
            "caveat": [caveat(r) for r in rows],
        },
        index=frame.index,
    )
    rest = [c for c in FIGURE_EXPORT if c in frame.columns and c not in leading]
    return pd.concat([frame[list(leading)], texts, frame[rest]], axis=1)


# The names the pages called before `stated` did everything; kept so that they keep working.


def figure_value(
    row: object, centre: str = "value_normalised", low: str = "low_normalised", high: str = "high_normalised"
) -> str:
    """A compact value for a chart label, from any of the value columns: "> 100 million" (a sign,
    where words do not fit), a range kept as a range; words when the text gives no number."""
    get = _get(row)
    qualifier = str(get["qualifier"])
    words = _in_language(get, "words")
    if words:
        return words
    if qualifier in SPANS:
        return f"{i18n.significant(get[low])}–{i18n.significant(get[high])}"  # type: ignore[arg-type]
    return QUALIFIER_SIGNS.get(qualifier, "") + i18n.significant(get[centre])  # type: ignore[arg-type]


def figure_hover(row: object) -> str:
    """Same as `hover`."""
    return hover(row)


def with_unit(value: str, unit: str) -> str:
    """'14' + percent → '14%' (or '14 %' in French, as Babel does); other units after a space.
    Words the text gives ("dozens of platforms") already carry their unit and stay as they are."""
    if not any(ch.isdigit() for ch in value):
        return value
    if unit == "percent":
        return value + ("\u00a0%" if i18n.lang() == "fr" else "%")
    return f"{value} {unit_label(unit)}"

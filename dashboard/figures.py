"""A cited figure as its source states it: qualifier, value or range, unit, period and hover text.

Every page that shows a figure from the `figures` table formats it here, so that "more than",
"about" and ranges travel with the number wherever it is shown.
"""

from __future__ import annotations

from dashboard import i18n
from dashboard.hover import wrap
from dashboard.i18n import t

# The columns a figures export carries after its own leading ones: the value as stated (qualifier,
# value or range, unit, period), the sentence, and where it comes from.
FIGURE_EXPORT = (
    "qualifier",
    "value_normalised",
    "low_normalised",
    "high_normalised",
    "unit_normalised",
    "period",
    "quote",
    "source_id",
    "secondary_of",
)

QUALIFIER_SIGNS = {
    "about": "≈ ",
    "more_than": "> ",
    "less_than": "< ",
    "nearly": "≈ ",
    "at_least": "≥ ",
    "at_most": "≤ ",
    "up_to": "≤ ",
}


def _get(row: object) -> dict[str, object]:
    return row._asdict() if hasattr(row, "_asdict") else dict(row)  # type: ignore[call-overload]


def figure_value(
    row: object, centre: str = "value_normalised", low: str = "low_normalised", high: str = "high_normalised"
) -> str:
    """A figure's value as stated: qualifier kept ("> 100 million"), a range kept as a range."""
    get = _get(row)
    if get["qualifier"] == "range":
        return f"{i18n.significant(get[low])}–{i18n.significant(get[high])}"  # type: ignore[arg-type]
    return QUALIFIER_SIGNS.get(str(get["qualifier"]), "") + i18n.significant(get[centre])  # type: ignore[arg-type]


def figure_hover(row: object) -> str:
    """Label, value with unit and year, the exact quote and the citation, for a plotly hover."""
    get = _get(row)
    label = get["label_fr"] if i18n.lang() == "fr" else get["label_en"]
    source = str(get["citation"]) + (
        f" — {t('common.relaying')} {get['study_citation']}" if get.get("study_citation") else ""
    )
    return (
        f"<b>{wrap(str(label))}</b><br>{figure_value(row)} {wrap(unit_label(str(get['unit_normalised'])))}, "
        f"{get['period']}<br>« {wrap(str(get['quote'])[:300])} »<br><i>{wrap(source)}</i>"
    )


def with_unit(value: str, unit: str) -> str:
    """'14' + percent → '14%' (or '14 %' in French, as Babel does); other units after a space."""
    if unit == "percent":
        return value + ("\u00a0%" if i18n.lang() == "fr" else "%")
    return f"{value} {unit_label(unit)}"


def period_label(row: object) -> str:
    """The period as the text fixes it ("2016-05 – 2016-09"), else the publication year, said so."""
    get = _get(row)
    if get["period"]:
        return str(get["period"]).replace("/", " – ")
    year = get["year"]
    if year == year and year is not None:
        return t("common.published", year=int(year))  # type: ignore[call-overload]
    return t("common.undated")


def unit_label(unit: str) -> str:
    key = f"unit.{unit}"
    text = t(key)
    return unit.replace("_", " ") if text == key else text


def stated(row: object) -> str:
    """A figure as its source states it: "> 100 million", "0.006 ¢ per click", "$0.75 an hour"."""
    get = _get(row)
    sign = QUALIFIER_SIGNS.get(str(get["qualifier"]), "")
    scale = "" if get["scale"] in ("", "one") else " " + t(f"scale.{get['scale']}")

    def amount(value: float) -> str:
        if get["currency"] and "_cent" in str(get["unit"]):
            return f"{i18n.significant(value)} ¢"
        if get["currency"] and not scale:
            return i18n.money(value, str(get["currency"]))
        return i18n.significant(value) + scale + (f" {get['currency']}" if get["currency"] else "")

    value = get["value"]
    if get["qualifier"] == "range":
        text = f"{amount(get['value_low'])}–{amount(get['value_high'])}"  # type: ignore[arg-type]
    elif value is None or value != value:
        return t("common.no_number")
    else:
        text = sign + amount(value)  # type: ignore[arg-type]
    if get["per"]:
        text += " " + t(f"per.{get['per']}")
    return text

"""Every message exists in English and French, and every key the code asks for exists."""

from __future__ import annotations

import json
import re

from dashboard.flows import REGIONS
from dashboard.i18n import catalogue
from dashboard.occupations import OCCUPATIONS
from etl import units
from tests.support import PAGES, ROOT

I18N = ROOT / "dashboard" / "i18n"
EN = catalogue("en")
FR = catalogue("fr")


def test_each_subject_file_exists_in_both_languages() -> None:
    assert sorted(p.name for p in (I18N / "en").glob("*.json")) == sorted(
        p.name for p in (I18N / "fr").glob("*.json")
    )
    for path in (I18N / "en").glob("*.json"):
        english = json.loads(path.read_text(encoding="utf-8"))
        french = json.loads((I18N / "fr" / path.name).read_text(encoding="utf-8"))
        assert set(english) ^ set(french) == set(), path.name


def test_both_languages_have_the_same_keys_and_no_empty_message() -> None:
    assert set(EN) ^ set(FR) == set()
    assert [k for k, v in {**EN, **FR}.items() if not v.strip()] == []


def test_placeholders_match_between_languages() -> None:
    fields = re.compile(r"\{(\w+)\}")
    assert [k for k in EN if set(fields.findall(EN[k])) != set(fields.findall(FR[k]))] == []


def test_every_literal_key_in_the_code_has_a_message() -> None:
    used = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        used |= set(
            re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", path.read_text(encoding="utf-8"))
        )
    assert used, "the pattern should find the keys"
    assert sorted(k for k in used - set(EN) if not k.endswith(".")) == []


def test_every_key_built_from_data_has_a_message() -> None:
    built = {f"nav.{p}" for p in PAGES} | {f"{p}.title" for p in PAGES}
    built |= {f"occupation.{o}" for o in ("all", *OCCUPATIONS)} | {f"region.{r}" for r in REGIONS}
    built |= {f"map.metric.{m}" for m in ("demand", "supply", "north_south")}
    built |= {f"map.classification.{c}" for c in ("wb", "un")} | {f"map.ns_note.{c}" for c in ("wb", "un")}
    built |= {f"qualifier.{q}" for q in units.QUALIFIERS}
    built |= {f"per.{p}" for p in units.BASES}
    built |= {"map.ns.North", "map.ns.South"} | {
        f"map.role.{r}"
        for r in (
            "micro_task_buyer",
            "micro_task_seller",
            "click_farm",
            "content_moderation",
            "translation_work",
            "crowdworker_origin",
            "other",
        )
    }
    built |= {
        f"ptype.{k}" for k in ("on_demand", "micro_work", "internet_of_things", "social", "unclassified")
    }
    import pandas as pd

    countries = pd.read_csv(ROOT / "datasets" / "tidy" / "countries.csv", keep_default_na=False)
    built |= {f"income.{g}" for g in countries["income_group_fy2025"] if g}
    built |= {f"un.{g}" for g in countries["un_development_2020"] if g}
    kinds = pd.read_csv(ROOT / "datasets" / "tidy" / "sources.csv", keep_default_na=False)["kind"]
    built |= {f"kind.{k}" for k in kinds}
    assert sorted(built - set(EN)) == []


def test_french_is_french_where_it_should_be() -> None:
    assert FR["common.source_prefix"] == "Source :"
    assert FR["overview.title"] != EN["overview.title"]

"""The Online Labour Index's occupations, by the codes the tidy tables use."""

from __future__ import annotations

# The six occupations of the OLI's 2017 employer snapshot and 2020 worker sample.
OCCUPATIONS = (
    "clerical_data_entry",
    "creative_multimedia",
    "professional_services",
    "sales_marketing",
    "software_technology",
    "writing_translation",
)

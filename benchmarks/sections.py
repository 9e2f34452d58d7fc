"""BENCHMARKS.md is written section by section (`python -m benchmarks --only …`): one section
replaced in place, or put before the first of some later sections that is there."""

from __future__ import annotations

from collections.abc import Sequence

ANALYSIS = "## What was found and fixed"  # the fixed text every run appends (benchmarks/analysis.md)


def replace(report: str, section: str, heading: str, before: Sequence[str] = (ANALYSIS,)) -> str:
    """`report` with the section that starts with `heading` replaced by `section`; when it has none,
    `section` goes before the first heading of `before` found, else at the end."""
    start = report.find(heading)
    if start < 0:
        for anchor_heading in before:
            anchor = report.find(anchor_heading)
            if anchor >= 0:
                return report[:anchor] + section + "\n\n" + report[anchor:]
        return report + ("\n" if report else "") + section + "\n"
    end = report.find("\n## ", start + len(heading))
    end = end + 1 if end >= 0 else len(report)
    return report[:start] + section + "\n\n" + report[end:]

"""The one error the ETL raises for bad input: it names the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path


class EtlError(Exception):
    """Bad input. `line` is the 1-based line in the file (the header is line 1)."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}" if line is None else f"{self.path}, line {line}"
        super().__init__(f"{where}: {problem}")

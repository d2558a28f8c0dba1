"""Checking new labelled data before it is trained on; every problem names its file and row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from rootcause.data import read_table
from rootcause.errors import DataError
from rootcause.labels import to_label
from rootcause.text import normalize


@dataclass(frozen=True)
class Problem:
    """One row that will not be trained on, and why."""

    file: str
    row: int  # 1-based line/row number as a spreadsheet shows it (header is row 1)
    kind: str  # unknown-label, empty-text, duplicate, conflict, in-test-split
    message: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class Validated:
    """Rows that passed, and the problems of the rows that did not."""

    rows: pd.DataFrame  # columns text, label, source_file, source_row
    problems: tuple[Problem, ...]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.problems:
            out[p.kind] = out.get(p.kind, 0) + 1
        return out


def key(text: str) -> str:
    """What makes two texts the same: equal after normalisation."""
    return normalize(text)


def validate(files: Iterable[str], *, existing: pd.DataFrame | None = None,
             test: pd.DataFrame | None = None) -> Validated:
    """Validate labelled files (columns ``text`` and ``label``) against each other, the existing
    training data and the frozen test split. Labels may be English or Chinese names."""
    seen: dict[str, tuple[str, str, int]] = {}  # key -> (label, file, row)
    if existing is not None:
        for text, label in zip(existing["text"], existing["label"]):
            seen.setdefault(key(text), (label, "the existing training data", 0))
    test_keys = {key(t) for t in test["text"]} if test is not None else set()
    kept, problems = [], []
    conflicted: set[str] = set()
    for path in files:
        df = read_table(path)
        missing = [c for c in ("text", "label") if c not in df.columns]
        if missing:
            raise DataError(f"{path}: missing column(s) {', '.join(missing)}; found {', '.join(map(str, df.columns))}")
        for row, (text, raw_label) in enumerate(zip(df["text"], df["label"]), start=2):
            problem = None
            try:
                label = to_label("" if raw_label is None else raw_label)
            except ValueError as exc:
                problem = ("unknown-label", str(exc))
            if problem is None and (not isinstance(text, str) or not text.strip()):
                problem = ("empty-text", "the text is empty")
            if problem is None:
                k = key(text)
                if k in test_keys:
                    problem = ("in-test-split", "the same text is in the frozen test split; it must not be trained on")
                elif k in seen:
                    other_label, other_file, other_row = seen[k]
                    where = other_file if other_row == 0 else f"{other_file}, row {other_row}"
                    problem = (("duplicate", f"the same text is already in {where}") if other_label == label else
                               ("conflict", f"the same text is labelled {other_label!r} in {where}, here {label!r}"))
                    if other_label != label and other_row:
                        conflicted.add(k)
                else:
                    seen[k] = (label, str(path), row)
                    kept.append((text, label, str(path), row))
            if problem is not None:
                problems.append(Problem(str(path), row, *problem))
    for text, label, path, row in kept:
        if key(text) in conflicted:
            problems.append(Problem(path, row, "conflict", "a later row has the same text with another label"))
    kept = [k for k in kept if key(k[0]) not in conflicted]
    rows = pd.DataFrame(kept, columns=["text", "label", "source_file", "source_row"])
    return Validated(rows, tuple(problems))

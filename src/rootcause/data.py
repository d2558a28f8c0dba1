"""Reading labelled data: the training corpus, the frozen test split, new labelled files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from rootcause.errors import DataError
from rootcause.labels import LABELS, to_label

DATA_DIR = Path("data")
TRAIN_FILE = "train.csv"
TEST_FILE = "test.csv"


def read_table(path: Path | str) -> pd.DataFrame:
    """Read a CSV/TSV, Excel, JSON Lines or Parquet file into strings (by extension)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"no file at {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls"):
        return pd.read_excel(path, dtype=str)
    if suffix in (".jsonl", ".json", ".ndjson"):
        return pd.read_json(path, lines=True, dtype=False).astype("string").astype(object)
    if suffix == ".parquet":
        return pd.read_parquet(path).astype(object)
    sep = "\t" if suffix in (".tsv", ".tab") else ","
    return pd.read_csv(path, dtype=str, sep=sep, keep_default_na=False, encoding="utf-8-sig")


def read_labelled(path: Path | str) -> pd.DataFrame:
    """Read a labelled file with columns ``text`` and ``label``; labels are made canonical.

    Raises
    ------
    DataError
        If a column is missing, or a row has an empty text or an unknown label (naming the row).
    """
    df = read_table(path)
    missing = [c for c in ("text", "label") if c not in df.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}; found {', '.join(map(str, df.columns))}")
    df = df.copy()
    problems = []
    labels = []
    for row, (text, label) in enumerate(zip(df["text"], df["label"]), start=2):
        if not isinstance(text, str) or not text.strip():
            problems.append(f"row {row}: empty text")
        try:
            labels.append(to_label(label))
        except ValueError as exc:
            problems.append(f"row {row}: {exc}")
            labels.append(None)
    if problems:
        shown = "; ".join(problems[:10]) + (f"; … and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise DataError(f"{path}: {len(problems)} problem row(s): {shown}")
    df["label"] = labels
    return df


def fingerprint(texts: pd.Series, labels: pd.Series) -> str:
    """A sha256 over the (text, label) pairs, independent of row order."""
    digest = hashlib.sha256()
    for pair in sorted(zip(texts.astype(str), labels.astype(str))):
        digest.update("\x1f".join(pair).encode("utf-8") + b"\x1e")
    return digest.hexdigest()


def label_counts(labels: pd.Series) -> dict[str, int]:
    """Rows per label, in canonical order."""
    counts = labels.value_counts()
    return {label: int(counts.get(label, 0)) for label in LABELS}

"""Real complaint texts labelled by the team, joined to their source corpora for evaluation.

``data/real_labels.csv`` holds only ``corpus,id,label``: the texts belong to their authors and
are read in place from ``../shared/corpora`` (never copied into the project, never trained on).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from rootcause.data import DATA_DIR
from rootcause.errors import DataError
from rootcause.labels import to_label

REAL_LABELS = DATA_DIR / "real_labels.csv"
REAL_OUT_OF_SCOPE = DATA_DIR / "real_out_of_scope.csv"
REAL_SETS: dict[str, tuple[Path, Path]] = {
    "test": (REAL_LABELS, REAL_OUT_OF_SCOPE),
    "dev": (DATA_DIR / "real_dev_labels.csv", DATA_DIR / "real_dev_out_of_scope.csv"),
}
"""The real sets by name: (labelled failures, texts found to describe no failure). ``test`` is only
ever measured; ``dev`` is the one allowed to choose settings (e.g. the out-of-scope target)."""
DEFAULT_CORPORA = Path("..") / "shared" / "corpora"


def _heimao(folder: Path) -> pd.Series:
    df = pd.read_csv(folder / "heimao-sample" / "heimao_complaints_sample.csv", dtype=str, keep_default_na=False)
    return pd.Series((df["title"] + "。" + df["detail"]).values, index=df["id"])


def _stc3(folder: Path) -> pd.Series:
    df = pd.read_csv(folder / "stc3-helpdesk" / "stc3_first_turn_cn.csv", dtype=str, keep_default_na=False)
    return pd.Series(df["text"].values, index=df["id"])


def _icbc(folder: Path) -> pd.Series:
    df = pd.read_csv(folder / "icbc-app-reviews" / "icbc_app_reviews.csv", dtype=str, keep_default_na=False)
    return pd.Series(df["text"].values, index=df["id"])


READERS: dict[str, Callable[[Path], pd.Series]] = {
    "heimao-sample": _heimao,
    "stc3-helpdesk": _stc3,
    "icbc-app-reviews": _icbc,
}
"""How to read the complaint text of each corpus, by its folder name: id -> text."""


def find_corpora(explicit: Path | str | None = None) -> Path:
    """The corpora folder: ``explicit``, ``$ROOTCAUSE_CORPORA``, or ``../shared/corpora``."""
    import os

    folder = Path(explicit or os.environ.get("ROOTCAUSE_CORPORA") or DEFAULT_CORPORA)
    if not folder.is_dir():
        raise DataError(f"no corpora folder at {folder}; pass --corpora DIR (the shared/corpora folder)")
    return folder


def load_real(labels: Path | str = REAL_LABELS, corpora: Path | str | None = None) -> pd.DataFrame:
    """Join the labels to their texts: columns ``corpus, id, text, label``.

    Raises
    ------
    DataError
        If a label names an unknown corpus or an id that its corpus does not hold.
    """
    folder = find_corpora(corpora)
    table = pd.read_csv(labels, dtype=str, keep_default_na=False)
    if list(table.columns) != ["corpus", "id", "label"]:
        raise DataError(f"{labels}: expected exactly the columns corpus,id,label; found {','.join(table.columns)}")
    texts: dict[str, pd.Series] = {}
    rows = []
    for number, (corpus, id_, label) in enumerate(table.itertuples(index=False), start=2):
        if corpus not in READERS:
            raise DataError(f"{labels}, row {number}: unknown corpus {corpus!r}; known: {', '.join(READERS)}")
        if corpus not in texts:
            texts[corpus] = READERS[corpus](folder)
        if id_ not in texts[corpus].index:
            raise DataError(f"{labels}, row {number}: {corpus} has no text with id {id_!r}")
        rows.append((corpus, id_, texts[corpus][id_], to_label(label)))
    return pd.DataFrame(rows, columns=["corpus", "id", "text", "label"])


def load_real_out_of_scope(table: Path | str = REAL_OUT_OF_SCOPE, corpora: Path | str | None = None) -> pd.DataFrame:
    """Real texts the team read and found to describe no service failure: ``corpus, id, text, reason``."""
    folder = find_corpora(corpora)
    ids = pd.read_csv(table, dtype=str, keep_default_na=False)
    texts = {corpus: READERS[corpus](folder) for corpus in ids["corpus"].unique()}
    return ids.assign(text=[texts[c][i] for c, i in zip(ids["corpus"], ids["id"])])


def load_real_set(name: str, corpora: Path | str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """One of :data:`REAL_SETS`: its labelled failures and the texts of its non-failures (none if unlisted).

    Raises
    ------
    DataError
        If the set's labels file, the corpora or one of their texts is missing.
    """
    labels, others = REAL_SETS[name]
    if not labels.is_file():
        raise DataError(f"no real {name} set: {labels} is missing")
    failures = load_real(labels, corpora)
    non_failures = load_real_out_of_scope(others, corpora)["text"].tolist() if others.is_file() else []
    return failures, non_failures

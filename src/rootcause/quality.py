"""Label quality: duplicates and near-duplicates (also across splits), malformed rows, and rows
whose cross-validated prediction strongly disagrees with their label (likely label errors)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from rootcause.labels import LABELS
from rootcause.pipeline import ModelParams
from rootcause.text import normalize, to_char_view, prepare_all


@dataclass(frozen=True)
class QualityReport:
    """What a check found; each frame lists rows to review."""

    malformed: pd.DataFrame      # split, row, problem
    duplicates: pd.DataFrame     # split_a, row_a, split_b, row_b, similarity, label_a, label_b
    disagreements: pd.DataFrame  # split, row, label, predicted, p_label, p_predicted, text

    def format(self) -> str:
        exact = int((self.duplicates["similarity"] >= 0.999).sum()) if len(self.duplicates) else 0
        cross = int((self.duplicates["split_a"] != self.duplicates["split_b"]).sum()) if len(self.duplicates) else 0
        return (f"malformed rows: {len(self.malformed)}\n"
                f"duplicate pairs: {len(self.duplicates)} ({exact} exact after normalisation, {cross} across splits)\n"
                f"likely label errors (cross-validated prediction strongly disagrees): {len(self.disagreements)}")


def find_malformed(df: pd.DataFrame, split: str) -> pd.DataFrame:
    rows = []
    for row, (text, label) in enumerate(zip(df["text"], df["label"]), start=2):
        if not isinstance(text, str) or not text.strip():
            rows.append((split, row, "empty text"))
        elif label not in LABELS:
            rows.append((split, row, f"unknown label {label!r}"))
    return pd.DataFrame(rows, columns=["split", "row", "problem"])


def find_near_duplicates(frames: dict[str, pd.DataFrame], threshold: float = 0.85) -> pd.DataFrame:
    """Pairs of texts whose character 2-4-gram TF-IDF cosine similarity is at least ``threshold``."""
    parts = [(split, row, text, label) for split, df in frames.items()
             for row, (text, label) in enumerate(zip(df["text"], df["label"]), start=2) if isinstance(text, str)]
    if len(parts) < 2:
        return pd.DataFrame(columns=["split_a", "row_a", "split_b", "row_b", "similarity", "label_a", "label_b"])
    texts = [to_char_view(normalize(p[2])) for p in parts]
    matrix = TfidfVectorizer(analyzer="char", ngram_range=(2, 4), min_df=1, sublinear_tf=True).fit_transform(texts)
    found = []
    step = 2000
    for start in range(0, matrix.shape[0], step):
        block = (matrix[start:start + step] @ matrix.T).tocoo()
        for i, j, value in zip(block.row, block.col, block.data):
            a, b = start + i, j
            if a < b and value >= threshold:
                found.append((parts[a][0], parts[a][1], parts[b][0], parts[b][1], round(float(value), 3),
                              parts[a][3], parts[b][3]))
    return pd.DataFrame(found, columns=["split_a", "row_a", "split_b", "row_b", "similarity", "label_a", "label_b"])


def find_disagreements(df: pd.DataFrame, split: str, *, folds: int = 5, below: float = 0.15,
                       n_jobs: int | None = -1, params: ModelParams | None = None) -> pd.DataFrame:
    """Rows whose out-of-fold probability for their own label is under ``below``."""
    from rootcause.training import cross_validate

    clean = df[df["text"].map(lambda t: isinstance(t, str) and bool(t.strip())) & df["label"].isin(LABELS)]
    _, proba = cross_validate(clean["text"], clean["label"], params, folds, n_jobs)
    own = np.array([proba[i, LABELS.index(label)] for i, label in enumerate(clean["label"])])
    best = proba.argmax(axis=1)
    rows = []
    for i in np.argsort(own):
        if own[i] >= below:
            break
        index = clean.index[i]
        rows.append((split, int(df.index.get_loc(index)) + 2, clean["label"].iloc[i], LABELS[best[i]],
                     round(float(own[i]), 3), round(float(proba[i, best[i]]), 3),
                     prepare_all([clean["text"].iloc[i]])[0][:200]))
    return pd.DataFrame(rows, columns=["split", "row", "label", "predicted", "p_label", "p_predicted", "text"])


def check(frames: dict[str, pd.DataFrame], *, cv_split: str | None = "train", folds: int = 5,
          threshold: float = 0.85, n_jobs: int | None = -1) -> QualityReport:
    """Run every check; cross-validation runs on ``cv_split`` only (never on the test split's labels
    to choose anything: its disagreements are listed for review, not used for training)."""
    malformed = pd.concat([find_malformed(df, s) for s, df in frames.items()], ignore_index=True)
    duplicates = find_near_duplicates(frames, threshold)
    disagreements = (find_disagreements(frames[cv_split], cv_split, folds=folds, n_jobs=n_jobs)
                     if cv_split and cv_split in frames and folds >= 2 else
                     pd.DataFrame(columns=["split", "row", "label", "predicted", "p_label", "p_predicted", "text"]))
    return QualityReport(malformed, duplicates, disagreements)

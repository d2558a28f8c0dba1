"""An evaluation report folder: confusion matrix and reliability plots, per-class figures,
the most confused examples (personal data masked) and one Markdown page that shows them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from rootcause.errors import RootCauseError
from rootcause.evaluation import Evaluation, reliability
from rootcause.labels import LABELS
from rootcause.text import prepare


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise RootCauseError("the report's plots need matplotlib: pip install 'rootcause[report]'") from exc
    return plt


def plot_confusion(evaluation: Evaluation, path: Path) -> None:
    plt = _pyplot()
    matrix = np.array(evaluation.confusion)
    fig, ax = plt.subplots(figsize=(5.5, 4.5), dpi=120)
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(LABELS)), LABELS, rotation=30)
    ax.set_yticks(range(len(LABELS)), LABELS)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"confusion matrix (n={evaluation.n}, macro-F1 {evaluation.macro_f1:.3f})")
    top = matrix.max() or 1
    for i in range(len(LABELS)):
        for j in range(len(LABELS)):
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center",
                    color="white" if matrix[i, j] > top / 2 else "black")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_reliability(table: pd.DataFrame, ece: float | None, path: Path) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 4.5), dpi=120)
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    shown = table.dropna()
    ax.plot(shown["confidence"], shown["accuracy"], "o-", label="model")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence (top label)")
    ax.set_ylabel("accuracy")
    ax.set_title("reliability" + (f" (ECE {ece:.3f})" if ece is not None else ""))
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_report(folder: Path | str, evaluation: Evaluation, texts: Sequence[str], y_true: Sequence[str],
                 proba: np.ndarray, *, title: str = "rootcause evaluation", top: int = 25) -> Path:
    """Write the report folder; returns the path of its ``report.md``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    plot_confusion(evaluation, folder / "confusion.png")
    table = reliability(y_true, proba)
    plot_reliability(table, evaluation.ece, folder / "reliability.png")
    per_class = pd.DataFrame(evaluation.per_class).T.rename_axis("label").reset_index()
    per_class.to_csv(folder / "per_class.csv", index=False)
    predicted = [LABELS[i] for i in proba.argmax(axis=1)]
    confused = pd.DataFrame({"text": [prepare(t)[:300] for t in texts], "true": list(y_true), "predicted": predicted,
                             "confidence": proba.max(axis=1).round(3)})
    confused = confused[confused["true"] != confused["predicted"]].sort_values("confidence", ascending=False).head(top)
    confused.to_csv(folder / "confused.csv", index=False)
    lines = [
        f"# {title}", "",
        f"Rows: {evaluation.n} · accuracy **{evaluation.accuracy:.3f}** · macro-F1 **{evaluation.macro_f1:.3f}**"
        + (f" · ECE {evaluation.ece:.3f}" if evaluation.ece is not None else ""), "",
        "## Per class", "", "| label | precision | recall | F1 | support |", "|---|---|---|---|---|",
        *(f"| {r.label} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} | {int(r.support)} |" for r in per_class.itertuples()),
        "", "## Confusion matrix", "", "![confusion matrix](confusion.png)", "",
        "## Calibration", "", "![reliability](reliability.png)", "",
        "| confidence bin | rows | mean confidence | accuracy |", "|---|---|---|---|",
        *(f"| {r.bin} | {r.rows} | {r.confidence:.3f} | {r.accuracy:.3f} |" for r in table.dropna().itertuples()),
        "", f"## Most confidently wrong ({len(confused)}; personal data masked)", "",
        "| true | predicted | confidence | text |", "|---|---|---|---|",
        *(f"| {r.true} | {r.predicted} | {r.confidence:.3f} | {r.text.replace('|', '/')[:120]} |"
          for r in confused.itertuples()),
    ]
    page = folder / "report.md"
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return page

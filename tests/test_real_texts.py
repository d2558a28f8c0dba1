"""The real labelled texts: joined in place from shared/corpora, never copied, never trained on."""

from pathlib import Path

import pandas as pd
import pytest

from rootcause.cli import main
from rootcause.labels import LABELS
from rootcause.text import normalize
ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"

pytestmark = pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
LABELS_FILE = ROOT / "data" / "real_labels.csv"


@pytest.fixture(scope="module")
def real():
    from rootcause.realtexts import load_real

    return load_real(LABELS_FILE, CORPORA)


def test_labels_file_holds_ids_only():
    table = pd.read_csv(LABELS_FILE, dtype=str)
    assert list(table.columns) == ["corpus", "id", "label"]
    assert len(table) >= 500 and set(table["label"]) <= set(LABELS)
    assert not table.duplicated(["corpus", "id"]).any()


def test_dev_and_test_sets_never_share_a_text():
    from rootcause.realtexts import REAL_SETS

    ids = {name: set(pd.concat([pd.read_csv(path, dtype=str) for path in paths])["id"]) for name, paths in REAL_SETS.items()}
    assert ids["dev"] and ids["test"] and not ids["dev"] & ids["test"]


def test_join_finds_every_text(real):
    assert len(real) == len(pd.read_csv(LABELS_FILE)) and real["text"].str.strip().astype(bool).all()


def test_real_texts_are_not_in_the_training_data(real):
    from rootcause.realtexts import REAL_SETS, load_real

    corpus = pd.concat([pd.read_csv(ROOT / "data" / name, dtype=str) for name in ("train.csv", "test.csv")])
    known = {normalize(t) for t in corpus["text"]}
    dev = load_real(REAL_SETS["dev"][0], CORPORA)
    assert not any(normalize(t) in known for t in pd.concat([real["text"], dev["text"]]))


def test_shipped_model_beats_the_majority_baseline_on_real_texts(real, capsys):
    assert main(["evaluate", "--real", "--corpora", str(CORPORA), "--json"]) == 0
    import json

    result = json.loads(capsys.readouterr().out)
    majority = (real["label"] == real["label"].mode()[0]).mean()
    baseline_macro_f1 = 2 * majority / (1 + majority) / len(LABELS)
    assert result["n"] == len(real)
    assert result["macro_f1"] > baseline_macro_f1 + 0.05

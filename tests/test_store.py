import json
import lzma
import subprocess
import sys
from pathlib import Path

import joblib
import pytest

from rootcause import load_classifier
from rootcause.errors import ModelIntegrityError, ModelNotFoundError, ModelVersionError
from rootcause.pipeline import ModelParams
from rootcause.store import MANIFEST_FILE, MODEL_FILE, current_version, load_model, resolve
from rootcause.text import to_char_view
from rootcause.training import train_and_store


def test_manifest_records_labels_versions_fingerprint_metrics(small_store):
    manifest = json.loads((resolve(small_store) / MANIFEST_FILE).read_text())
    assert manifest["labels"] == ["systemic", "staff", "customer", "random"]
    assert manifest["libraries"]["scikit-learn"]
    assert len(manifest["data"]["train"]["fingerprint"]) == 64
    assert 0 <= manifest["metrics"]["test"]["macro_f1"] <= 1
    assert manifest["created"] and manifest["files"][MODEL_FILE]


def test_round_trip_in_a_fresh_process(small_store, small_classifier):
    text = "我自己把收款账号填错了，钱转给了别人"
    expected = small_classifier.predict([text])[0]
    code = (
        "import json, sys; from rootcause import load_classifier; "
        f"p = load_classifier({str(small_store)!r}).predict([sys.argv[1]])[0]; "
        "print(json.dumps([p.label, p.probabilities]))"
    )
    out = subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True, check=True)
    label, probabilities = json.loads(out.stdout)
    assert label == expected.label
    assert probabilities == pytest.approx(expected.probabilities)


def test_saved_vectorizers_hold_no_pruned_term_list(small_store):
    pipeline, _ = load_model(small_store)
    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        assert getattr(vectorizer, "stop_words_", None) is None


def test_saved_model_holds_no_raw_training_text(tmp_path, small_data):
    planted = ["6222021234567890123", "13912345678", "110101199003071234", "secret.person@example.com"]
    rows = small_data.copy()
    rows.loc[:3, "text"] = [f"{t} 卡号{p}" for t, p in zip(rows["text"][:4], planted)]
    info = train_and_store(rows, None, tmp_path, params=ModelParams(min_df=1, features="both"), cv_folds=0).info
    raw = (info.path / MODEL_FILE).read_bytes()
    blobs = [raw, lzma.decompress(raw)]
    for blob in blobs:
        for secret in planted:
            assert secret.encode() not in blob
            assert secret.encode("utf-32-le") not in blob and secret.encode("utf-16-le") not in blob
    vectorizers = [v for _, v in joblib.load(info.path / MODEL_FILE).named_steps["features"].transformer_list]
    vocabulary = {term for v in vectorizers for term in v.vocabulary_}
    assert "<CARD>" in vocabulary or to_char_view("<CARD>") in vocabulary
    assert not any(secret in term for term in vocabulary for secret in planted)
    digit_runs = {term for term in vocabulary if sum(ch.isdigit() for ch in term) >= 2}
    assert not any(run in secret for run in digit_runs for secret in planted)


def copy_store(source: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(source, target)
    return target


def test_tampered_model_is_refused_before_unpickling(small_store, tmp_path):
    store = copy_store(small_store, tmp_path / "store")
    model = resolve(store) / MODEL_FILE
    model.write_bytes(model.read_bytes()[:-10])  # truncated
    with pytest.raises(ModelIntegrityError, match="does not match its manifest"):
        load_classifier(store)


def test_model_from_another_sklearn_version_names_both(small_store, tmp_path):
    store = copy_store(small_store, tmp_path / "store")
    manifest_path = resolve(store) / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text())
    manifest["libraries"]["scikit-learn"] = "0.24.2"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(ModelVersionError, match=r"saved with scikit-learn 0\.24\.2.*retrain"):
        load_classifier(store)


def test_missing_model_says_how_to_train(tmp_path):
    with pytest.raises(ModelNotFoundError, match="run `python train.py`"):
        load_classifier(tmp_path)


def test_first_model_becomes_current(small_store):
    assert current_version(small_store) == resolve(small_store).name

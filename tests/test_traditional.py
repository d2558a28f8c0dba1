"""A complaint in traditional characters gets the label of its simplified twin."""

from pathlib import Path

import numpy as np
import opencc
import pytest

from rootcause.data import read_labelled

ROOT = Path(__file__).resolve().parents[1]
TO_TRADITIONAL = opencc.OpenCC("s2t")
TO_HONG_KONG = opencc.OpenCC("s2hk")
TO_TAIWAN = opencc.OpenCC("s2twp")


def test_traditional_twins_get_equal_labels_and_near_equal_probabilities(small_classifier):
    texts = read_labelled(ROOT / "tests" / "fixtures" / "labelled_small.csv")["text"].tolist()
    simplified = small_classifier.predict_proba(texts)
    for converter in (TO_TRADITIONAL, TO_HONG_KONG, TO_TAIWAN):
        twins = [converter.convert(t) for t in texts]
        assert sum(a != b for a, b in zip(twins, texts)) > len(texts) // 2  # the conversion did change them
        traditional = small_classifier.predict_proba(twins)
        assert (traditional.argmax(axis=1) == simplified.argmax(axis=1)).mean() >= 0.95
        assert np.abs(traditional - simplified).max() < 0.1


def test_shipped_model_on_test_split_in_traditional():
    from rootcause import load_classifier

    test_file = ROOT / "data" / "test.csv"
    if not test_file.is_file():
        pytest.skip("no data/test.csv")
    texts = read_labelled(test_file)["text"].sample(300, random_state=1).tolist()
    clf = load_classifier()
    simplified = clf.predict_proba(texts)
    traditional = clf.predict_proba([TO_HONG_KONG.convert(t) for t in texts])
    assert (traditional.argmax(axis=1) == simplified.argmax(axis=1)).mean() >= 0.97
    assert np.median(np.abs(traditional - simplified).max(axis=1)) < 0.01

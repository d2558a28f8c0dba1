"""The lean inference path gives scikit-learn's probabilities exactly."""

import numpy as np
import pytest

from rootcause import load_classifier
from rootcause.fastpath import compile_proba
from rootcause.pipeline import ModelParams, build_pipeline
from rootcause.text import prepare_all

TEXTS = ["柜员一直在玩手机，让我等了半小时", "网点突然停电", "我忘记密码了", "只开一个窗口", "谢谢", "卡号6222021234567890123被吞"]


@pytest.mark.parametrize("model", ["shipped", "small"])
def test_fast_path_equals_sklearn(model, small_classifier):
    clf = load_classifier() if model == "shipped" else small_classifier
    prepared = prepare_all(TEXTS)
    fast = compile_proba(clf.pipeline)
    assert fast is not None
    np.testing.assert_allclose(fast(prepared), clf.pipeline[1:].predict_proba(prepared), atol=1e-12)
    if clf.scope is not None:
        np.testing.assert_allclose(compile_proba(clf.scope)(prepared), clf.scope.predict_proba(prepared), atol=1e-12)


def test_unrecognised_pipelines_fall_back(small_data):
    pipeline = build_pipeline(ModelParams(classifier="nb", min_df=1)).fit(small_data["text"], small_data["label"])
    assert compile_proba(pipeline) is None


def test_fast_path_applies_the_character_weight(small_data):
    pipeline = build_pipeline(ModelParams(min_df=1, char_weight=0.3)).fit(small_data["text"], small_data["label"])
    prepared = prepare_all(TEXTS)
    np.testing.assert_allclose(compile_proba(pipeline)(prepared), pipeline[1:].predict_proba(prepared), atol=1e-12)

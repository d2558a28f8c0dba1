import math

import pytest

from rootcause import LABELS, Prediction


def test_predict_returns_label_probabilities_and_remedies(small_classifier):
    [p] = small_classifier.predict(["柜员一直在玩手机，让我等了半小时"])
    assert isinstance(p, Prediction)
    assert p.label in LABELS
    assert list(p.probabilities) == list(LABELS)
    assert math.isclose(sum(p.probabilities.values()), 1.0, abs_tol=1e-6)
    assert p.confidence == max(p.probabilities.values())
    assert p.remedies and all(r.zh and r.rule_id for r in p.remedies)
    assert p.to_dict()["label_zh"] == p.label_zh


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_text_is_a_value_error(small_classifier, bad):
    with pytest.raises(ValueError, match="empty or whitespace only"):
        small_classifier.predict(["正常的投诉", bad])


def test_a_bare_string_is_refused(small_classifier):
    with pytest.raises(TypeError, match="list of texts"):
        small_classifier.predict("柜员态度差")


def test_escalation_on_regulator_complaint(small_classifier):
    [p] = small_classifier.predict(["柜员态度恶劣，我已经打了12378投诉"])
    assert p.escalation and "regulator" in p.escalation[0]


def test_explanation_lists_terms_that_pushed_the_label(small_classifier):
    [plain] = small_classifier.predict(["柜员一直在玩手机，让我等了半小时"])
    [p] = small_classifier.predict(["柜员一直在玩手机，让我等了半小时"], explain=True)
    assert plain.explanation == () and p.label == plain.label
    terms = [t for t, _ in p.explanation]
    weights = [w for _, w in p.explanation]
    assert 0 < len(terms) <= 5 and weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
    assert all(part in "柜员一直在玩手机,让我等了半小时" for t in terms for part in t.split())  # word n-grams: "一直 玩"


def test_explanation_shows_mask_tokens_not_personal_numbers(small_classifier):
    [p] = small_classifier.predict(["我把卡号6222021234567890123填错了"], explain=True)
    assert not any("6222" in t for t, _ in p.explanation)

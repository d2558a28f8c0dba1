import pytest

from rootcause.labels import LABELS, LABELS_ZH, to_label


def test_four_labels_with_chinese_names():
    assert LABELS == ("systemic", "staff", "customer", "random")
    assert LABELS_ZH == {"systemic": "系统性失误", "staff": "员工操作性失误", "customer": "客户方面的原因", "random": "随机因素"}


@pytest.mark.parametrize("value, label", [("staff", "staff"), (" Random ", "random"), ("系统性失误", "systemic"),
                                          ("客户方面的原因", "customer")])
def test_to_label_accepts_english_and_chinese(value, label):
    assert to_label(value) == label


def test_to_label_suggests_close_match():
    with pytest.raises(ValueError, match="unknown label 'sytemic'.*Did you mean 'systemic'"):
        to_label("sytemic")

"""Property-based tests: any input gives a result or a clear error, never a crash from inside."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rootcause.batch import check_row
from rootcause.text import mask_pii, normalize, prepare, segment

any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300)
chinese = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), max_size=20)
digits_with_separators = st.lists(st.sampled_from("0123456789 -"), min_size=1, max_size=60).map("".join)


@given(any_text)
def test_normalize_always_returns_text_and_is_idempotent(text):
    once = normalize(text)
    assert isinstance(once, str)
    assert normalize(once) == once


@given(any_text)
def test_prepare_and_segment_never_raise(text):
    words = segment(prepare(text))
    assert all(isinstance(w, str) and w.strip() for w in words)


@given(st.lists(st.one_of(chinese, digits_with_separators, st.sampled_from(["卡号", "，", " ", "电话", "¥"])), max_size=12))
def test_masking_never_leaves_a_16_to_19_digit_run(parts):
    text = "".join(parts)
    for masked in (mask_pii(text), prepare(text)):
        assert not re.search(r"\d{16,}", masked)


@given(st.integers(min_value=10**15, max_value=10**19 - 1), chinese, chinese)
def test_any_card_length_number_is_masked(number, before, after):
    masked = prepare(f"{before}{number}{after}")
    assert str(number) not in masked


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=50)
@given(st.one_of(any_text, st.none(), st.integers(), st.floats(), st.text(min_size=6000, max_size=7000)))
def test_check_row_flags_instead_of_raising(value):
    row = check_row(value)
    assert row.status == "ok" or row.prepared is None or row.status.startswith("truncated")


def test_huge_text_is_truncated_and_flagged():
    row = check_row("柜员态度差" * 5000, max_chars=1000)
    assert row.status.startswith("truncated") and row.prepared


def test_lone_surrogates_and_controls_are_removed():
    assert normalize("a\ud800b\x00c\u200bd") == "a b c d"

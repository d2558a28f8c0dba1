"""Shared fixtures: a small labelled file and a model trained on it, once per session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rootcause.data import read_labelled
from rootcause.pipeline import ModelParams
from rootcause.training import train_and_store

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "labelled_small.csv"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPORA = SHARED / "corpora"

needs_corpora = pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")


@pytest.fixture(scope="session")
def small_data() -> pd.DataFrame:
    return read_labelled(SMALL)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory, small_data: pd.DataFrame) -> Path:
    """A model store holding one model trained on the small labelled file."""
    store = tmp_path_factory.mktemp("store")
    train_and_store(small_data, small_data, store, params=ModelParams(min_df=1), cv_folds=0)
    return store


@pytest.fixture(scope="session")
def small_classifier(small_store: Path):
    from rootcause import load_classifier

    return load_classifier(small_store)


# The first call loads jieba's dictionary (about a second): no per-example deadline, on a shared machine.
from hypothesis import settings  # noqa: E402

settings.register_profile("rootcause", deadline=None, print_blob=True)
settings.load_profile("rootcause")

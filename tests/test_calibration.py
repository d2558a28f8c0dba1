"""Temperature scaling keeps every label and makes confidences match accuracy."""

import numpy as np

from rootcause.calibration import apply_temperature, fit_temperature
from rootcause.labels import LABELS


def test_temperature_keeps_labels_and_rows_sum_to_one():
    proba = np.random.default_rng(0).dirichlet(np.ones(len(LABELS)), size=200)
    for t in (0.5, 1.0, 2.0):
        scaled = apply_temperature(proba, t)
        np.testing.assert_allclose(scaled.sum(axis=1), 1.0)
        assert (scaled.argmax(axis=1) == proba.argmax(axis=1)).all()


def test_fitted_temperature_sharpens_under_confident_probabilities():
    rng = np.random.default_rng(1)
    truth = rng.integers(0, len(LABELS), 2000)
    sharp = np.full((2000, len(LABELS)), 0.02)
    sharp[np.arange(2000), truth] = 0.94                # right 94% of the time when sure …
    wrong = rng.random(2000) < 0.06
    sharp[wrong] = np.roll(sharp[wrong], 1, axis=1)
    blurred = apply_temperature(sharp, 3.0)             # … but reported at a much lower confidence
    t = fit_temperature(blurred, [LABELS[i] for i in truth])
    assert t < 0.5
    assert abs(apply_temperature(blurred, t).max(axis=1).mean() - 0.94) < 0.03

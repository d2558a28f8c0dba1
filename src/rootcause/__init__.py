"""rootcause: the root cause of Chinese customer complaints, with remedies.

>>> from rootcause import load_classifier                      # doctest: +SKIP
>>> load_classifier().predict(["柜员一直在玩手机"])[0].label     # doctest: +SKIP
'staff'
"""

from importlib import metadata

from rootcause.classifier import Classifier, Prediction, load_classifier
from rootcause.errors import (
    DataError,
    ModelIntegrityError,
    ModelNotFoundError,
    ModelVersionError,
    RootCauseError,
    RulesError,
)
from rootcause.labels import LABELS, LABELS_ZH
from rootcause.rules import Remedy, load_rules
from rootcause.text import mask_pii, normalize, segment

try:
    __version__ = metadata.version("rootcause")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "LABELS",
    "LABELS_ZH",
    "Classifier",
    "DataError",
    "ModelIntegrityError",
    "ModelNotFoundError",
    "ModelVersionError",
    "Prediction",
    "Remedy",
    "RootCauseError",
    "RulesError",
    "load_classifier",
    "load_rules",
    "mask_pii",
    "normalize",
    "segment",
]

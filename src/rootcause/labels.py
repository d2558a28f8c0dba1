"""The four root-cause labels and their Chinese names (see ``shared/LABELLING.md``)."""

from __future__ import annotations

import difflib

LABELS: tuple[str, ...] = ("systemic", "staff", "customer", "random")
"""Labels in their canonical order: probability columns follow it."""

LABELS_ZH: dict[str, str] = {
    "systemic": "系统性失误",
    "staff": "员工操作性失误",
    "customer": "客户方面的原因",
    "random": "随机因素",
}
"""Chinese name of each label."""

_FROM_ZH = {zh: label for label, zh in LABELS_ZH.items()}


def to_label(value: object) -> str:
    """Return the canonical label for ``value``: an English label or its Chinese name.

    >>> to_label("系统性失误")
    'systemic'
    >>> to_label(" Staff ")
    'staff'

    Raises
    ------
    ValueError
        If ``value`` names no label; the message suggests the closest one.
    """
    text = str(value).strip()
    if text.lower() in LABELS:
        return text.lower()
    if text in _FROM_ZH:
        return _FROM_ZH[text]
    candidates = list(LABELS) + list(_FROM_ZH)
    close = difflib.get_close_matches(text.lower(), candidates, n=1, cutoff=0.5)
    hint = f" Did you mean {to_label(close[0])!r}?" if close else ""
    raise ValueError(f"unknown label {text!r}; expected one of {', '.join(LABELS)}.{hint}")

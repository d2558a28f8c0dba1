"""Text preparation: normalise, mask personal data, segment.

Every function here is pure (``str -> str`` or ``str -> list[str]``) and module-level, so a
pipeline that refers to them pickles by reference and loads in a fresh process or worker.
The one piece of state, the jieba tokenizer, is built lazily on first use, once per process.

>>> normalize("ＡＴＭ吞卡了！！！")
'atm吞卡了!'
>>> mask_pii("卡号6222 0212 3456 7890 123，电话13912345678")
'卡号<CARD>,电话<PHONE>'
"""

from __future__ import annotations

import functools
import html
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from importlib import resources

import jieba
import opencc

__all__ = ["MASK_TOKENS", "mask_pii", "normalize", "prepare", "prepare_all", "segment", "to_char_view", "from_char_view"]

# --- resources: compiled patterns and tables, kept apart from the logic ----------------------

MASK_TOKENS: tuple[str, ...] = ("<CARD>", "<ID>", "<PHONE>", "<EMAIL>", "<AMOUNT>", "<NUMBER>")
"""Tokens that replace personal data and amounts; they may be features, the raw values never are."""

_SURROGATES_AND_CONTROLS = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\ufeff]")
_HTML_TAG = re.compile(
    r"</?(?:br|p|div|span|a|img|b|i|u|em|strong|font|table|tr|td|th|li|ul|ol|h[1-6])\b[^<>]{0,200}>",
    re.IGNORECASE,
)
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff\u2b00-\u2bff\ufe0f\u200d\u20e3]+"
)
_REPEATED_PUNCT = re.compile(r"([!?.,~\-=*#。、…·])\1+")
_WHITESPACE = re.compile(r"\s+")

_EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+", re.IGNORECASE)
_ID_NUMBER = re.compile(
    r"(?<!\d)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dxX](?![\dA-Za-z])"
)
_CARD = re.compile(r"(?<!\d)\d(?:[ \-]?\d){15,18}(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ \-]?)?1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:0\d{2,3}[ \-]?\d{7,8}|[48]00[ \-]?\d{3}[ \-]?\d{4})(?!\d)")
_AMOUNT = re.compile(
    r"(?:[¥$]\s?\d[\d,]*(?:\.\d+)?(?:\s?[万千百亿])?(?:元|块)?)"
    r"|(?:\d[\d,]*(?:\.\d+)?\s?(?:[万千亿]?(?:元|块钱|块|美元|美金|港币|港元|欧元|rmb|cny)|万|亿))",
    re.IGNORECASE,
)
_LONG_NUMBER = re.compile(r"\d{12,}")
_MASK = re.compile("|".join(re.escape(t) for t in MASK_TOKENS))
_MASK_TO_CHAR = {token: chr(0xE000 + i) for i, token in enumerate(MASK_TOKENS)}

_T2S = opencc.OpenCC("t2s")


# --- normalisation ------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Normalise a complaint so that training and prediction see the same text.

    Unicode NFKC (full-width letters, digits and punctuation become half-width), traditional
    characters to simplified, HTML remnants and entities, emoji and control characters removed,
    runs of the same punctuation collapsed, letters lower-cased, whitespace collapsed.
    Idempotent: ``normalize(normalize(t)) == normalize(t)``.

    >>> normalize("  銀行櫃員<br/>態度很差 😡😡 ")
    '银行柜员 态度很差'
    """
    text = _SURROGATES_AND_CONTROLS.sub(" ", text)
    text = html.unescape(html.unescape(text))
    text = _HTML_TAG.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    text = _SURROGATES_AND_CONTROLS.sub(" ", text)
    text = _EMOJI.sub(" ", text)
    text = _T2S.convert(text)
    text = unicodedata.normalize("NFKC", text).lower()
    text = _REPEATED_PUNCT.sub(r"\1", text)
    return _WHITESPACE.sub(" ", text).strip()


def mask_pii(text: str) -> str:
    """Replace personal data and amounts with mask tokens (see :data:`MASK_TOKENS`).

    E-mail addresses become ``<EMAIL>``, 18-digit ID numbers ``<ID>``, bank card numbers
    (16-19 digits, with or without spaces or dashes) ``<CARD>``, mobile and landline numbers
    ``<PHONE>``, amounts of money ``<AMOUNT>``, and any other run of 12 or more digits
    ``<NUMBER>``. Works on raw or normalised text; no run of 12+ digits survives.

    >>> mask_pii("身份证110101199003071234，转了5000元，邮箱a.b@qq.com")
    '身份证<ID>,转了<AMOUNT>,邮箱<EMAIL>'
    """
    text = unicodedata.normalize("NFKC", text)
    text = _EMAIL.sub("<EMAIL>", text)
    text = _ID_NUMBER.sub("<ID>", text)
    text = _CARD.sub("<CARD>", text)
    text = _MOBILE.sub("<PHONE>", text)
    text = _LANDLINE.sub("<PHONE>", text)
    text = _AMOUNT.sub("<AMOUNT>", text)
    return _LONG_NUMBER.sub("<NUMBER>", text)


def prepare(text: str) -> str:
    """Normalise, then mask: the text every model and every log sees.

    >>> prepare("ＡＴＭ吞了我的卡 6222021234567890123")
    'atm吞了我的卡 <CARD>'
    """
    return mask_pii(normalize(text))


def prepare_all(texts: Iterable[str]) -> list[str]:
    """:func:`prepare` over a sequence (the first step of the model pipeline)."""
    return [prepare(t) for t in texts]


def to_char_view(text: str) -> str:
    """Turn each mask token of a prepared text into one private-use character for char n-grams."""
    return _MASK.sub(lambda m: _MASK_TO_CHAR[m.group()], text)


def from_char_view(text: str) -> str:
    """Undo :func:`to_char_view` (for showing character n-grams to people)."""
    for token, char in _MASK_TO_CHAR.items():
        text = text.replace(char, token)
    return text


# --- segmentation -----------------------------------------------------------------------------

_tokenizer_lock = threading.Lock()


def _read_resource(name: str) -> str:
    return resources.files("rootcause.resources").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def _stopwords() -> frozenset[str]:
    lines = (line.strip() for line in _read_resource("stopwords.txt").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


@functools.cache
def _jieba() -> jieba.Tokenizer:
    """The process's jieba tokenizer with the finance dictionary, built once, quietly."""
    with _tokenizer_lock:
        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for line in _read_resource("userdict.txt").splitlines():
            parts = line.split()
            if parts and not parts[0].startswith("#"):
                freq = int(parts[1]) if len(parts) > 1 else None
                tokenizer.add_word(parts[0], freq)
        return tokenizer


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def segment(text: str) -> list[str]:
    """Split a prepared text into words with jieba and the finance dictionary.

    Mask tokens stay whole; punctuation, whitespace and stop words are dropped.

    >>> segment("手机银行转账失败,柜员说<CARD>被冻结了")
    ['手机银行', '转账', '失败', '柜员', '说', '<CARD>', '冻结']
    """
    tokenizer = _jieba()
    stop = _stopwords()
    words: list[str] = []
    position = 0
    for match in _MASK.finditer(text):
        words.extend(tokenizer.lcut(text[position : match.start()], HMM=True))
        words.append(match.group())
        position = match.end()
    words.extend(tokenizer.lcut(text[position:], HMM=True))
    return [w for w in (w.strip() for w in words) if w and w not in stop and (_is_word(w) or w in MASK_TOKENS)]

"""Classifying tables of complaints: every row kept, in order, malformed rows flagged."""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from rootcause.classifier import Classifier
from rootcause.labels import LABELS
from rootcause.errors import DataError
from rootcause.tables import PARSE_STATUS, format_of, input_size, merge_parts, read_chunks, write_part
from rootcause.text import prepare

MAX_CHARS = 5000
"""Longer texts are truncated to this many characters and flagged."""

STATUS_OK = "ok"
OUTPUT_COLUMNS = ("root_cause", "root_cause_zh", "confidence", *(f"p_{label}" for label in LABELS), "p_failure",
                  "needs_review", "remedies", "escalation", "status")
OUT_OF_SCOPE = "out of scope: describes no service failure"


@dataclass(frozen=True)
class RowText:
    """The text of one row as the model will see it, or why there is none."""

    prepared: str | None
    status: str


def check_row(value: object, max_chars: int = MAX_CHARS) -> RowText:
    """Decide whether a cell can be classified; never raises."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return RowText(None, "empty: no text")
    if not isinstance(value, str):
        return RowText(None, f"not text: {type(value).__name__}")
    if not value.strip():
        return RowText(None, "empty: blank text")
    status = STATUS_OK
    if len(value) > max_chars:
        value = value[:max_chars]
        status = f"truncated: longer than {max_chars} characters"
    try:
        prepared = prepare(value)
    except Exception as exc:  # a row must be flagged, never crash the run
        return RowText(None, f"unreadable: {type(exc).__name__}")
    if not prepared:
        return RowText(None, "empty: no text after cleaning")
    return RowText(prepared, status)


def classify_frame(classifier: Classifier, df: pd.DataFrame, text_col: str = "text",
                   max_chars: int = MAX_CHARS, explain: bool = False) -> pd.DataFrame:
    """Return ``df`` with the prediction columns appended, same rows, same order
    (and an ``explanation`` column with ``explain``)."""
    if text_col not in df.columns:
        raise KeyError(f"no column {text_col!r}; available columns: {', '.join(map(str, df.columns))}")
    parse_status = df[PARSE_STATUS].tolist() if PARSE_STATUS in df.columns else [None] * len(df)
    rows = [RowText(None, bad) if isinstance(bad, str) else check_row(v, max_chars) for v, bad in zip(df[text_col].tolist(), parse_status)]
    good = [i for i, r in enumerate(rows) if r.prepared is not None]
    predictions = classifier.predict_prepared([rows[i].prepared for i in good], explain=explain)
    n = len(df)
    out = {
        "root_cause": np.full(n, None, dtype=object),
        "root_cause_zh": np.full(n, None, dtype=object),
        "confidence": np.full(n, np.nan),
        **{f"p_{label}": np.full(n, np.nan) for label in LABELS},
        "p_failure": np.full(n, np.nan),
        "needs_review": np.ones(n, dtype=bool),
        "remedies": np.full(n, "", dtype=object),
        "escalation": np.full(n, "", dtype=object),
        "status": np.array([r.status for r in rows], dtype=object),
        **({"explanation": np.full(n, "", dtype=object)} if explain else {}),
    }
    for i, p in zip(good, predictions):
        for label in LABELS:
            out[f"p_{label}"][i] = round(p.probabilities[label], 4)
        out["p_failure"][i] = p.failure_score
        if not p.in_scope:
            out["status"][i] = OUT_OF_SCOPE
            continue
        out["root_cause"][i] = p.label
        out["root_cause_zh"][i] = p.label_zh
        out["confidence"][i] = round(p.confidence, 4)
        out["needs_review"][i] = p.needs_review
        out["remedies"][i] = "；".join(r.zh for r in p.remedies)
        out["escalation"][i] = "；".join(p.escalation)
        if explain:
            out["explanation"][i] = " ".join(f"{term}({weight:+.2f})" for term, weight in p.explanation)
    result = df.drop(columns=[PARSE_STATUS], errors="ignore")
    prefix = "rc_" if any(column in result.columns for column in out) else ""
    return result.assign(**{prefix + column: values for column, values in out.items()})


# --- whole files: chunks, worker processes, parts on disk, atomic output ------------------------

@dataclass(frozen=True)
class BatchConfig:
    """What ``rootcause classify INPUT -o OUTPUT`` was asked to do."""

    input: str
    output: str
    text_col: str = "text"
    input_format: str | None = None
    output_format: str | None = None
    encoding: str | None = None
    model: str | None = None
    rules: str | None = None
    threshold: float | None = None
    scope_threshold: float | None = None
    max_chars: int = MAX_CHARS
    chunk_rows: int = 2000
    jobs: int = 0
    resume: bool = False
    progress: bool = True
    explain: bool = False


@dataclass
class Summary:
    """What a batch run did."""

    rows: int = 0
    per_label: dict[str, int] = field(default_factory=lambda: {label: 0 for label in LABELS})
    flagged: int = 0
    needs_review: int = 0
    escalated: int = 0
    resumed_rows: int = 0
    seconds: float = 0.0

    def add(self, other: Summary) -> None:
        self.rows += other.rows
        self.flagged += other.flagged
        self.needs_review += other.needs_review
        self.escalated += other.escalated
        for label, n in other.per_label.items():
            self.per_label[label] += n

    def format(self) -> str:
        rate = self.rows / self.seconds if self.seconds else 0.0
        labels = ", ".join(f"{label} {n}" for label, n in self.per_label.items())
        return (f"{self.rows} rows in {self.seconds:.1f}s ({rate:.0f} rows/s)"
                + (f", {self.resumed_rows} of them from the interrupted run" if self.resumed_rows else "")
                + f"\nper label: {labels}\nflagged (status not ok): {self.flagged}; needs review: {self.needs_review};"
                f" escalation: {self.escalated}")


def summarise(frame: pd.DataFrame) -> Summary:
    """Counts for one classified chunk."""
    prefix = "rc_" if "rc_status" in frame.columns else ""
    labels = frame[prefix + "root_cause"].value_counts()
    return Summary(
        rows=len(frame),
        per_label={label: int(labels.get(label, 0)) for label in LABELS},
        flagged=int((frame[prefix + "status"] != STATUS_OK).sum()),
        needs_review=int(frame[prefix + "needs_review"].sum()),
        escalated=int((frame[prefix + "escalation"] != "").sum()),
    )


_worker: dict = {}


def _init_worker(config: BatchConfig) -> None:
    """Load the model (and so jieba's dictionary) once in each worker process."""
    from rootcause.classifier import load_classifier

    _worker["classifier"] = load_classifier(config.model, rules=config.rules, review_threshold=config.threshold,
                                            scope_threshold=config.scope_threshold)
    _worker["config"] = config
    _worker["classifier"].predict_prepared(["预热"])  # load jieba's dictionary now, not in the first chunk


def _classify_part(index: int, frame: pd.DataFrame, part: str) -> Summary:
    """Classify one chunk in a worker and write it as an atomic part file; only counts travel back."""
    config: BatchConfig = _worker["config"]
    result = classify_frame(_worker["classifier"], frame, config.text_col, config.max_chars, config.explain)
    write_part(result, Path(part))
    return summarise(result)


def _parts_meta(config: BatchConfig, fmt_in: str) -> dict:
    meta = {"input": os.path.abspath(config.input), "format": fmt_in, "text_col": config.text_col,
            "chunk_rows": config.chunk_rows, "max_chars": config.max_chars, "model": config.model,
            "explain": config.explain,
            "rules": config.rules, "threshold": config.threshold, "scope_threshold": config.scope_threshold}
    if config.input != "-":
        stat = os.stat(config.input)
        meta.update(size=stat.st_size, mtime=stat.st_mtime)
    return meta


def _prepare_parts_dir(config: BatchConfig, fmt_in: str) -> Path:
    """The folder of finished chunks: fresh, or the interrupted run's when resuming."""
    if config.output == "-":
        return Path(tempfile.mkdtemp(prefix="rootcause-parts-"))
    parts = Path(config.output + ".parts")
    meta = _parts_meta(config, fmt_in)
    if parts.exists():
        if not config.resume:
            raise DataError(f"{parts} holds an interrupted run: pass --resume to continue it, or delete the folder")
        old = json.loads((parts / "run.json").read_text(encoding="utf-8")) if (parts / "run.json").is_file() else {}
        changed = sorted(k for k in meta if old.get(k) != meta[k])
        if changed:
            raise DataError(f"cannot resume: {', '.join(changed)} changed since the interrupted run; "
                            f"delete {parts} to start again")
        return parts
    parts.mkdir(parents=True)
    (parts / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    return parts


def run_batch(config: BatchConfig) -> Summary:
    """Classify a whole complaint log: every row, in order, written atomically to the output."""
    started = time.perf_counter()
    fmt_in = format_of(config.input, config.input_format)
    fmt_out = format_of(config.output, config.output_format) if config.output != "-" or config.output_format else fmt_in
    if fmt_out == "xlsx" and config.output == "-" or fmt_out == "parquet" and config.output == "-":
        raise DataError(f"{fmt_out} cannot be written to stdout; use csv, tsv or jsonl, or give a file")
    if config.output != "-" and config.input != "-" and os.path.abspath(config.output) == os.path.abspath(config.input):
        raise DataError("the output would overwrite the input; choose another output path")
    jobs = config.jobs if config.jobs > 0 else (os.cpu_count() or 1)
    parts_dir = _prepare_parts_dir(config, fmt_in)
    chunks = read_chunks(config.input, fmt_in, encoding=config.encoding, chunk_rows=config.chunk_rows)
    total, unit = input_size(config.input, fmt_in)
    bar = tqdm(total=total, unit=unit, unit_scale=unit == "B", disable=not config.progress, dynamic_ncols=True,
               desc="classifying", file=sys.stderr)
    resumed = 0
    rows_done = 0
    try:
        with _executor(config, jobs) as pool:
            pending: deque = deque()
            for index, chunk in enumerate(chunks):
                if index == 0 and config.text_col not in chunk.frame.columns:
                    raise DataError(f"no column {config.text_col!r} in {config.input}; available columns: "
                                    f"{', '.join(c for c in chunk.frame.columns if c != PARSE_STATUS)}; "
                                    "choose one with --text-col")
                part = parts_dir / f"part-{index:07d}.parquet"
                if part.exists():
                    resumed += len(chunk.frame)
                    bar.update(chunk.position - bar.n)
                    continue
                pending.append((pool.submit(_classify_part, index, chunk.frame, str(part)), chunk))
                while len(pending) > 2 * jobs or (pending and pending[0][0].done()):
                    future, done_chunk = pending.popleft()
                    future.result()
                    rows_done += len(done_chunk.frame)
                    bar.update(done_chunk.position - bar.n)
                    rate = rows_done / max(time.perf_counter() - started, 1e-9)
                    bar.set_postfix_str(f"{rows_done + resumed} rows, {rate:.0f} rows/s", refresh=False)
            for future, done_chunk in pending:
                future.result()
                rows_done += len(done_chunk.frame)
                bar.update(done_chunk.position - bar.n)
        bar.set_postfix_str(f"{rows_done + resumed} rows, {rows_done / max(time.perf_counter() - started, 1e-9):.0f} rows/s")
    except BaseException:
        if not any(parts_dir.glob("part-*.parquet")):
            shutil.rmtree(parts_dir, ignore_errors=True)
        raise
    finally:
        bar.close()
    parts = sorted(parts_dir.glob("part-*.parquet"))
    summary = Summary()
    for part in parts:
        summary.add(summarise(pd.read_parquet(part, columns=_summary_columns(part))))
    _write_output(parts, config.output, fmt_out)
    shutil.rmtree(parts_dir, ignore_errors=True)
    summary.resumed_rows = resumed
    summary.seconds = time.perf_counter() - started
    return summary


def _summary_columns(part: Path) -> list[str]:
    import pyarrow.parquet as pq

    names = pq.read_schema(part).names
    prefix = "rc_" if "rc_status" in names else ""
    return [prefix + c for c in ("root_cause", "status", "needs_review", "escalation")]


def _write_output(parts: list[Path], output: str, fmt: str) -> None:
    names = [*OUTPUT_COLUMNS, "explanation"]
    tail = names + [f"rc_{c}" for c in names]
    if output == "-":
        merge_parts(parts, sys.stdout.buffer, fmt, bom=False, tail_columns=tail)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("wb", dir=target.parent, prefix=f".{target.name}.", delete=False)
    try:
        with handle:
            merge_parts(parts, handle, fmt, bom=fmt in ("csv", "tsv"), tail_columns=tail)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


class _InProcess:
    """A stand-in for a process pool when one job is asked for: same calls, no processes."""

    def __init__(self, config: BatchConfig) -> None:
        _init_worker(config)

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        return future

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *exc) -> None:
        return None


def _executor(config: BatchConfig, jobs: int):
    if jobs == 1:
        return _InProcess(config)
    return ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(config,),
                               mp_context=multiprocessing.get_context("forkserver"))

"""Reading and writing complaint logs in chunks: CSV/TSV, JSON Lines, Excel, Parquet.

Readers yield :class:`Chunk` objects whose cells are strings (or ``None``), so identifiers keep
their leading zeros and nothing is reinterpreted. A row that cannot be parsed is kept and flagged
in :data:`PARSE_STATUS` with the reason, never dropped.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pandas as pd

from rootcause.errors import DataError

FORMATS = ("csv", "tsv", "jsonl", "xlsx", "parquet")
PARSE_STATUS = "__parse_status__"
"""Internal column: why a row could not be parsed (``None`` when it parsed)."""

_EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
               ".json": "jsonl", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
_SAMPLE_BYTES = 1 << 16
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class Chunk:
    """Consecutive input rows and how far into the input they reach (for progress)."""

    frame: pd.DataFrame
    position: int


def format_of(path: str, override: str | None = None) -> str:
    """The table format of ``path`` from its extension, or ``override``."""
    if override:
        if override not in FORMATS:
            raise DataError(f"unknown format {override!r}; expected one of {', '.join(FORMATS)}")
        return override
    if path == "-":
        return "csv"
    suffix = Path(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise DataError(f"cannot tell the format of {path} from its extension; pass --format ({', '.join(FORMATS)})")
    return _EXTENSIONS[suffix]


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig`` for UTF-8 (with or without BOM), else ``gb18030`` (a superset of GBK and GB2312)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


class _CountingReader(io.RawIOBase):
    """Wraps a binary stream and counts the bytes read through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def _open_text(path: str, encoding: str | None) -> tuple[io.TextIOWrapper, _CountingReader]:
    raw: IO[bytes] = sys.stdin.buffer if path == "-" else open(path, "rb")
    buffered = io.BufferedReader(raw, _SAMPLE_BYTES)  # type: ignore[arg-type]
    encoding = encoding or detect_encoding(buffered.peek(_SAMPLE_BYTES)[:_SAMPLE_BYTES])
    counter = _CountingReader(buffered)
    text = io.TextIOWrapper(io.BufferedReader(counter), encoding=encoding, errors="replace", newline="")
    return text, counter


def _frame(rows: list[list[str | None]], columns: list[str], statuses: list[str | None]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame[PARSE_STATUS] = pd.Series(statuses, index=frame.index, dtype=object)
    return frame


def _read_delimited(path: str, sep: str, encoding: str | None, chunk_rows: int) -> Iterator[Chunk]:
    text, counter = _open_text(path, encoding)
    with text:
        reader = csv.reader(text, delimiter=sep)
        header = next(reader, None)
        if header is None:
            raise DataError(f"{path} is empty: no header row")
        columns = _unique_names(header)
        width = len(columns)
        rows, statuses = [], []
        emitted = False
        for fields in reader:
            if not fields:
                fields, status = [""] * width, "malformed: blank line"
            elif len(fields) == width:
                status = None
            elif len(fields) < width:
                status = f"malformed: {len(fields)} fields, expected {width}"
                fields = fields + [None] * (width - len(fields))
            else:
                status = f"malformed: {len(fields)} fields, expected {width}; extra fields joined into the last"
                fields = fields[: width - 1] + [sep.join(fields[width - 1 :])]
            rows.append(fields)
            statuses.append(status)
            if len(rows) >= chunk_rows:
                yield Chunk(_frame(rows, columns, statuses), counter.count)
                rows, statuses, emitted = [], [], True
        if rows or not emitted:
            yield Chunk(_frame(rows, columns, statuses), counter.count)


def _unique_names(header: list[str]) -> list[str]:
    names: list[str] = []
    for i, name in enumerate(header):
        name = name.strip() or f"column_{i + 1}"
        base, n = name, 1
        while name in names:
            n += 1
            name = f"{base}_{n}"
        names.append(name)
    return names


def _read_jsonl(path: str, encoding: str | None, chunk_rows: int) -> Iterator[Chunk]:
    text, counter = _open_text(path, encoding)
    records: list[dict] = []
    statuses: list[str | None] = []
    with text:
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError(f"a JSON {type(record).__name__}, not an object")
                statuses.append(None)
            except ValueError as exc:
                record = {"__raw_line__": line.rstrip("\r\n")}
                statuses.append(f"malformed: line {number} is not a JSON object ({str(exc)[:60]})")
            records.append({k: _cell(v) for k, v in record.items()})
            if len(records) >= chunk_rows:
                yield Chunk(_records_frame(records, statuses), counter.count)
                records, statuses = [], []
    if records:
        yield Chunk(_records_frame(records, statuses), counter.count)


def _cell(value: object) -> object:
    """Strings stay as they are; numbers, booleans, lists and objects become their JSON text."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _records_frame(records: list[dict], statuses: list[str | None]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records).astype(object)
    frame = frame.where(frame.notna(), None)
    frame[PARSE_STATUS] = pd.Series(statuses, index=frame.index, dtype=object)
    return frame


def _read_xlsx(path: str, chunk_rows: int) -> Iterator[Chunk]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise DataError(f"{path} has an empty first sheet")
        columns = _unique_names(["" if h is None else str(h) for h in header])
        batch: list[list] = []
        done = 0
        for row in rows:
            values = list(row[: len(columns)]) + [None] * (len(columns) - len(row))
            batch.append([v if v is None or isinstance(v, str) else _excel_text(v) for v in values])
            if len(batch) >= chunk_rows:
                done += len(batch)
                yield Chunk(_frame(batch, columns, [None] * len(batch)), done)
                batch = []
        if batch or not done:
            yield Chunk(_frame(batch, columns, [None] * len(batch)), done + len(batch))
    finally:
        workbook.close()


def _excel_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_parquet(path: str, chunk_rows: int) -> Iterator[Chunk]:
    import pyarrow.parquet as pq

    done = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows):
        frame = batch.to_pandas().astype(object)
        frame = frame.where(frame.notna(), None)
        frame[PARSE_STATUS] = None
        done += len(frame)
        yield Chunk(frame, done)


def read_chunks(path: str, fmt: str, *, encoding: str | None = None, chunk_rows: int = 2000) -> Iterator[Chunk]:
    """Yield the rows of a table in order, ``chunk_rows`` at a time (``path`` ``-`` is stdin)."""
    if path != "-" and not Path(path).is_file():
        raise DataError(f"no input file at {path}")
    if fmt in ("csv", "tsv"):
        return _read_delimited(path, "\t" if fmt == "tsv" else ",", encoding, chunk_rows)
    if fmt == "jsonl":
        return _read_jsonl(path, encoding, chunk_rows)
    if path == "-":
        raise DataError(f"{fmt} cannot be read from stdin; use csv, tsv or jsonl, or give a file")
    if fmt == "xlsx":
        return _read_xlsx(path, chunk_rows)
    return _read_parquet(path, chunk_rows)


def input_size(path: str, fmt: str) -> tuple[int | None, str]:
    """The total that :attr:`Chunk.position` counts towards, and its unit (bytes or rows)."""
    if path == "-":
        return None, "B"
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows, "rows"
    if fmt == "xlsx":
        return None, "rows"
    return Path(path).stat().st_size, "B"


def write_part(frame: pd.DataFrame, path: Path) -> None:
    """Write a classified chunk as Parquet, atomically (a part either exists whole or not at all)."""
    tmp = path.with_name(path.name + ".tmp")
    frame.to_parquet(tmp, index=False)
    tmp.replace(path)


def _part_columns(parts: list[Path]) -> list[str]:
    import pyarrow.parquet as pq

    columns: list[str] = []
    for part in parts:
        for name in pq.read_schema(part).names:
            if name not in columns:
                columns.append(name)
    return columns


class TableWriter:
    """Writes frames one after another into one CSV/TSV, JSON Lines, Excel or Parquet file."""

    def __init__(self, handle: IO[bytes], fmt: str, columns: list[str], *, bom: bool) -> None:
        self.handle, self.fmt, self.columns, self.rows = handle, fmt, columns, 0
        self._text = None
        if fmt in ("csv", "tsv", "jsonl"):
            self._text = io.TextIOWrapper(handle, encoding="utf-8-sig" if bom and fmt != "jsonl" else "utf-8",
                                          newline="", write_through=False)
        elif fmt == "xlsx":
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet("rootcause")
            self._sheet.append(columns)
        self._parquet = None

    def write(self, frame: pd.DataFrame) -> None:
        frame = frame.reindex(columns=self.columns)
        if self.fmt in ("csv", "tsv"):
            frame.to_csv(self._text, sep="\t" if self.fmt == "tsv" else ",", index=False, header=self.rows == 0,
                         lineterminator="\n")
        elif self.fmt == "jsonl":
            for record in frame.to_dict(orient="records"):
                clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in record.items()}
                self._text.write(json.dumps(clean, ensure_ascii=False, default=str) + "\n")
        elif self.fmt == "xlsx":
            if self.rows + len(frame) > 1_048_575:
                raise DataError("the output has more rows than an Excel sheet holds (1,048,576); write csv or parquet")
            for row in frame.itertuples(index=False):
                self._sheet.append([None if isinstance(v, float) and v != v else v for v in row])
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame, preserve_index=False)
            if self._parquet is None:
                fields = [pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in table.schema]
                self._schema = pa.schema(fields)
                self._parquet = pq.ParquetWriter(self.handle, self._schema)
            self._parquet.write_table(table.cast(self._schema))
        self.rows += len(frame)

    def close(self) -> None:
        if self._text is not None:
            if self.rows == 0 and self.fmt in ("csv", "tsv"):
                self._text.write(("\t" if self.fmt == "tsv" else ",").join(self.columns) + "\n")
            self._text.flush()
            self._text.detach()
        elif self.fmt == "xlsx":
            self._book.save(self.handle)
        elif self._parquet is not None:
            self._parquet.close()
        elif self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({c: pa.array([], pa.string()) for c in self.columns}), self.handle)


def merge_parts(parts: list[Path], output: IO[bytes], fmt: str, *, bom: bool, tail_columns: list[str]) -> None:
    """Concatenate part files, in order, into one output table (one part in memory at a time)."""
    columns = _part_columns(parts)
    columns = [c for c in columns if c not in tail_columns] + [c for c in tail_columns if c in columns]
    writer = TableWriter(output, fmt, columns, bom=bom)
    for part in parts:
        writer.write(pd.read_parquet(part))
    writer.close()

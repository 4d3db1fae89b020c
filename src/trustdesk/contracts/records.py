"""Reading interaction records from JSONL and CSV files into contract-shaped dicts.

CSV has one row per interaction. Nested fields are dotted column names (``customer.external_id``,
``case.purpose``, ``survey.csat``) and the ``turns`` column holds the JSON list of turns. Empty cells
are absent fields.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

_NUMERIC_COLUMNS = {"hold_seconds", "wrap_seconds", "survey.csat", "survey.nps"}


@dataclass(frozen=True)
class RawRecord:
    """One line (JSONL) or row (CSV) with its 1-based position.

    A JSONL line comes as its undecoded ``json_text``: the validator parses and checks it in one pass, several
    times faster than decoding it to Python objects first. A CSV row comes parsed as ``data``, or with the
    reason it could not be.
    """

    line: int
    data: dict[str, Any] | None
    error: str | None = None
    json_text: bytes | None = None


def read_jsonl(stream: IO[bytes]) -> Iterator[RawRecord]:
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            yield RawRecord(number, None, json_text=raw)


def decode_json_line(record: RawRecord) -> RawRecord:
    """The record with its JSON line decoded to ``data``, or with the reason the line is not a JSON object."""
    if record.json_text is None:
        return record
    try:
        data = json.loads(record.json_text.decode("utf-8"))
    except UnicodeDecodeError as error:
        return RawRecord(record.line, None, f"line is not valid UTF-8 (byte {error.start})")
    except json.JSONDecodeError as error:
        return RawRecord(record.line, None, f"line is not valid JSON: {error.msg} at column {error.colno}")
    if not isinstance(data, dict):
        return RawRecord(record.line, None, "line is not a JSON object")
    return RawRecord(record.line, data)


def read_csv(stream: IO[str]) -> Iterator[RawRecord]:
    reader = csv.DictReader(stream)
    for row in reader:
        number = reader.line_num
        try:
            yield RawRecord(number, _nest(row))
        except ValueError as error:
            yield RawRecord(number, None, str(error))


def _nest(row: dict[str, str | None]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for column, cell in row.items():
        if column is None or cell is None or cell == "":
            continue
        value: Any = cell
        if column == "turns":
            try:
                value = json.loads(cell)
            except json.JSONDecodeError as error:
                raise ValueError(f"column turns is not a JSON list: {error.msg}") from error
        elif column in _NUMERIC_COLUMNS:
            try:
                value = float(cell) if "seconds" in column else int(cell)
            except ValueError as error:
                raise ValueError(f"column {column} has value {cell!r}. Not a number.") from error
        target = record
        *parents, leaf = column.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return record

"""``trustdesk redact``: JSONL ``{"id", "text"}`` in, one redacted line out per input line, in order."""

from __future__ import annotations

import json
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TransferSpeedColumn

from trustdesk.contracts.redaction import RedactRequestItem, redact_item
from trustdesk.core.privacy.redaction import Recognizer, RedactionMode, TextTooLargeError
from trustdesk.core.privacy.redaction.recognizers.spacy_names import make_spacy_person_recognizer


class InputLineError(Exception):
    """A line that cannot be redacted; the message names the line number and the problem."""


def redact(
    file: Annotated[
        Path | None,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="JSONL file; standard input when omitted."
        ),
    ] = None,
    mode: Annotated[RedactionMode, typer.Option("--mode", help="placeholder, mask or pseudonym.")] = (
        RedactionMode.PLACEHOLDER
    ),
    language: Annotated[
        str, typer.Option("--language", help="Language of the texts (en, es, fr, de, pt).")
    ] = "en",
    spacy_pipeline: Annotated[
        str | None,
        typer.Option(
            "--spacy-pipeline",
            help="Installed spaCy pipeline (e.g. en_core_web_sm) adding NER person names; never downloaded.",
        ),
    ] = None,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            exists=True,
            dir_okay=False,
            readable=True,
            help="Secret key: pseudonyms need it, and text_hash is an HMAC under it (comparable across runs).",
        ),
    ] = None,
) -> None:
    """Redact personal data from JSONL {"id","text"} lines; stops at the first bad line (exit 1)."""
    if mode is RedactionMode.PSEUDONYM and key_file is None:
        typer.echo("error: --mode pseudonym needs --key-file", err=True)
        raise typer.Exit(2)
    # Without a key file, hashes use a random key of this run: a plain SHA-256 of a CVV or phone number
    # can be reversed by trying every value, so unkeyed hashes never leave the process.
    key = key_file.read_bytes().strip() if key_file else secrets.token_bytes(32)
    extra = _spacy_recognizers(spacy_pipeline)
    stderr = Console(stderr=True)
    try:
        if file is None:
            _redact_stream(
                sys.stdin.buffer, mode=mode, language=language, key=key, extra=extra, progress=None
            )
            return
        with file.open("rb") as stream, _progress_bar(stderr) as progress:
            task = progress.add_task(file.name, total=file.stat().st_size)
            _redact_stream(
                stream, mode=mode, language=language, key=key, extra=extra, progress=(progress, task)
            )
    except InputLineError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


def _spacy_recognizers(pipeline: str | None) -> tuple[Recognizer, ...]:
    """The spaCy PERSON recognizer when the named pipeline is installed; a clear error when it is not."""
    if pipeline is None:
        return ()
    try:
        import spacy
    except ImportError:
        typer.echo("error: --spacy-pipeline needs spaCy installed (pip install spacy)", err=True)
        raise typer.Exit(2) from None
    if not spacy.util.is_package(pipeline):
        typer.echo(f"error: spaCy pipeline {pipeline!r} is not installed (it is never downloaded)", err=True)
        raise typer.Exit(2)
    nlp = spacy.load(pipeline, exclude=["parser", "lemmatizer", "textcat"])
    return (make_spacy_person_recognizer(nlp),)


def _progress_bar(console: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TransferSpeedColumn(), console=console)


def _redact_stream(
    stream: BinaryIO,
    *,
    mode: RedactionMode,
    language: str,
    key: bytes,
    extra: tuple[Recognizer, ...],
    progress: tuple[Progress, TaskID] | None,
) -> None:
    for number, item in _read_items(stream, progress):
        try:
            response = redact_item(item, mode=mode, language=language, key=key, extra_recognizers=extra)
        except TextTooLargeError as error:
            raise InputLineError(f"line {number}: field 'text': {error}") from None
        sys.stdout.write(json.dumps(response.model_dump(), ensure_ascii=False) + "\n")
        sys.stdout.flush()


def _read_items(
    stream: BinaryIO, progress: tuple[Progress, TaskID] | None
) -> Iterator[tuple[int, RedactRequestItem]]:
    """Parsed request items with their 1-based line numbers; blank lines are skipped."""
    for number, raw in enumerate(stream, start=1):
        if progress is not None:
            progress[0].advance(progress[1], len(raw))
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputLineError(
                f"line {number}: not valid UTF-8 (byte 0x{raw[error.start]:02x} at byte {error.start})"
            ) from None
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputLineError(
                f"line {number}: invalid JSON: {error.msg} at column {error.colno}"
            ) from None
        try:
            yield number, RedactRequestItem.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "line"
            raise InputLineError(f"line {number}: field '{field}': {first['msg']}") from None

"""Redact stored free text again with the current engine: transcripts, survey comments and QA evidence quotes.

Ingest stores only redacted text, but what it redacted depends on the engine of that day: transcripts
stored before redaction entered the pipeline, or before a recognizer learned a form (an address without a
number, a phone read digit by digit), can still hold personal data. A run reads the stored text in
interaction id order, detects again with the customer's name from the encrypted record as ingest does, and
writes back only what changed: the turn text with typed placeholders (placeholders already there are left
alone), the new entity labels (marked ``"pass": "again"``, offsets into the text as it was stored before this
pass), the survey comment, and the quotes in the interaction's QA evidence (results and overrides kept). Each
batch commits with one audit entry giving the counts; running it again finds nothing new.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, func, select, update

from trustdesk.core.model import Entity, Speaker, Turn
from trustdesk.core.privacy.audit_log import AuditEventType
from trustdesk.core.privacy.redaction import detect_entities, detect_turn_entities, redact_text
from trustdesk.services.audit import record_audit_event
from trustdesk.services.privacy_keys import Keyring, load_data_keys, open_personal_data
from trustdesk.storage import tables as t

AGAIN = "again"  # the "pass" of entities found by a later run, as opposed to those found at ingest


@dataclass(frozen=True)
class RedactionPass:
    scanned: int
    last_interaction_id: int
    transcripts_changed: int = 0
    comments_changed: int = 0
    quotes_changed: int = 0
    labels: Counter = field(default_factory=Counter)


def count_transcripts(connection: Connection, *, brand_id: int | None) -> int:
    query = select(func.count()).select_from(t.transcripts).join(
        t.interactions, t.interactions.c.id == t.transcripts.c.interaction_id)
    if brand_id is not None:
        query = query.where(t.interactions.c.brand_id == brand_id)
    return connection.execute(query).scalar_one()


def redact_stored_batch(connection: Connection, *, brand_id: int | None, after_interaction_id: int, limit: int,
                        keyring: Keyring, actor: str, origin: str, now: datetime) -> RedactionPass:
    """Redact again the next ``limit`` stored transcripts after ``after_interaction_id`` (in the caller's
    transaction), with their survey comments and evidence quotes; audited when anything changed."""
    query = (select(t.interactions.c.id, t.interactions.c.brand_id, t.interactions.c.language,
                    t.interactions.c.customer_id, t.customers.c.external_id.label("customer"),
                    t.customers.c.personal_data, t.transcripts.c.turns)
             .join(t.transcripts, t.transcripts.c.interaction_id == t.interactions.c.id)
             .join(t.customers, t.customers.c.id == t.interactions.c.customer_id)
             .where(t.interactions.c.id > after_interaction_id)
             .order_by(t.interactions.c.id).limit(limit))
    if brand_id is not None:
        query = query.where(t.interactions.c.brand_id == brand_id)
    rows = connection.execute(query).all()
    if not rows:
        return RedactionPass(scanned=0, last_interaction_id=after_interaction_id)
    names = _customer_names(connection, rows, keyring=keyring)
    labels: Counter = Counter()
    changed_transcripts = changed_comments = changed_quotes = 0
    for row in rows:
        language = row.language or "en"
        known = names.get(row.customer_id, ())
        turns, found = _redact_turns(row.turns or [], language=language, known_names=known)
        if found:
            connection.execute(update(t.transcripts).where(t.transcripts.c.interaction_id == row.id).values(turns=turns))
            changed_transcripts += 1
            labels.update(found)
        changed_comments += _redact_comment(connection, row.id, language=language, known_names=known, labels=labels)
        changed_quotes += _redact_quotes(connection, row.id, language=language, known_names=known, labels=labels)
    result = RedactionPass(len(rows), rows[-1].id, changed_transcripts, changed_comments, changed_quotes, labels)
    if changed_transcripts or changed_comments or changed_quotes:
        counts = ", ".join(f"{label} {count}" for label, count in sorted(labels.items()))
        record_audit_event(
            connection, actor=actor, role="admin", origin=origin, event_type=AuditEventType.REDACTION_RERUN, at=now,
            resource=f"transcripts:{rows[0].id}-{rows[-1].id}", brand_id=brand_id,
            reason=(f"{changed_transcripts} transcript(s), {changed_comments} survey comment(s), {changed_quotes} "
                    f"evidence quote(s) redacted again: {counts}"),
        )
    return result


def _customer_names(connection: Connection, rows: Sequence, *, keyring: Keyring) -> dict[int, tuple[str, ...]]:
    """The customers' names from their encrypted records, to find them in free text as ingest does."""
    keyed = {row.customer_id: row for row in rows if row.personal_data}
    data_keys = load_data_keys(connection, keyed, keyring=keyring)
    names = {}
    for customer_id, data_key in data_keys.items():
        row = keyed[customer_id]
        fields = open_personal_data(row.personal_data, data_key, brand_id=row.brand_id,
                                    customer_external_id=row.customer)
        if fields.get("name"):
            names[customer_id] = (fields["name"],)
    return names


def _redact_turns(stored: list[dict], *, language: str, known_names: tuple[str, ...]) -> tuple[list[dict], Counter]:
    turns = [Turn(Speaker(turn["speaker"]), turn["text"], turn.get("offset_seconds")) for turn in stored]
    found: Counter = Counter()
    rewritten = []
    for turn, entities in zip(stored, detect_turn_entities(turns, language=language, known_names=known_names)):
        if not entities:
            rewritten.append(turn)
            continue
        found.update(entity.label for entity in entities)
        rewritten.append({**turn, "text": redact_text(turn["text"], entities), "entities": [
            *turn.get("entities", []),
            *({"start": e.start, "end": e.end, "label": e.label, "pass": AGAIN} for e in entities)]})
    return rewritten, found


def _redact_free_text(text: str, *, language: str, known_names: tuple[str, ...]) -> tuple[str, list[Entity]]:
    entities = detect_entities(text, language=language, known_names=known_names)
    return (redact_text(text, entities), entities) if entities else (text, [])


def _redact_comment(connection: Connection, interaction_id: int, *, language: str, known_names: tuple[str, ...],
                    labels: Counter) -> int:
    comment = connection.execute(select(t.surveys.c.comment).where(t.surveys.c.interaction_id == interaction_id)
                                 ).scalar()
    if not comment:
        return 0
    redacted, entities = _redact_free_text(comment, language=language, known_names=known_names)
    if not entities:
        return 0
    connection.execute(update(t.surveys).where(t.surveys.c.interaction_id == interaction_id).values(comment=redacted))
    labels.update(entity.label for entity in entities)
    return 1


def _redact_quotes(connection: Connection, interaction_id: int, *, language: str, known_names: tuple[str, ...],
                   labels: Counter) -> int:
    criteria = connection.execute(select(t.quality_results.c.criteria)
                                  .where(t.quality_results.c.interaction_id == interaction_id)).scalar()
    if not criteria:
        return 0
    changed = 0
    updated = []
    for criterion in criteria:
        evidence = []
        for item in criterion.get("evidence") or []:
            quote = item.get("quote")
            redacted, entities = _redact_free_text(quote, language=language, known_names=known_names) if quote else (
                quote, [])
            if entities:
                changed += 1
                labels.update(entity.label for entity in entities)
                item = {**item, "quote": redacted}
            evidence.append(item)
        updated.append({**criterion, "evidence": evidence} if "evidence" in criterion else criterion)
    if changed:
        connection.execute(update(t.quality_results).where(t.quality_results.c.interaction_id == interaction_id)
                           .values(criteria=updated))
    return changed

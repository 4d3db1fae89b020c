"""Repeat contacts: which contacts a customer had to make again about the same case or purpose.

Two contacts are about the same issue when they share brand and customer, and either the same case or
the same purpose. A contact is a repeat when an earlier contact about the same issue started at most
``window_days`` before it; that earlier contact then has a repeat within its window and is not a
first-contact resolution. "Earlier" is the order of (started_at, interaction_id), so ties are stable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from trustdesk.core.metrics.facts import InteractionFact

DEFAULT_WINDOW_DAYS = 7


@dataclass(frozen=True)
class Reclassification:
    """A stored fact whose repeat-contact flags changed; feed it to ``rollup.rollup_changes``."""

    old: InteractionFact
    new: InteractionFact


@dataclass(frozen=True)
class ContactRegistration:
    """A new contact with its flags set, and the stored contacts it reclassified."""

    fact: InteractionFact
    reclassified: tuple[Reclassification, ...]


def _window(window_days: float) -> timedelta:
    if window_days <= 0:
        raise ValueError(f"window_days has value {window_days!r}. Must be > 0.")
    return timedelta(days=window_days)


def _contact_order(fact: InteractionFact) -> tuple[datetime, str]:
    return (fact.started_at, fact.interaction_id)


def is_same_issue(first: InteractionFact, second: InteractionFact) -> bool:
    """Same brand and customer, and the same case or the same purpose."""
    if first.brand != second.brand or first.customer_id != second.customer_id:
        return False
    is_same_case = first.case_id is not None and first.case_id == second.case_id
    return is_same_case or first.purpose == second.purpose


def _is_repeat_of(later: InteractionFact, earlier: InteractionFact, window: timedelta) -> bool:
    return (
        _contact_order(earlier) < _contact_order(later)
        and later.started_at - earlier.started_at <= window
        and is_same_issue(earlier, later)
    )


def mark_repeat_contacts(
    facts: Sequence[InteractionFact], *, window_days: float = DEFAULT_WINDOW_DAYS
) -> tuple[InteractionFact, ...]:
    """The facts, in their given order, with both repeat-contact flags recomputed from scratch."""
    window = _window(window_days)
    by_customer: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, fact in enumerate(facts):
        by_customer[(fact.brand, fact.customer_id)].append(index)
    is_repeat = [False] * len(facts)
    has_repeat = [False] * len(facts)
    for indexes in by_customer.values():
        ordered = sorted(indexes, key=lambda i: _contact_order(facts[i]))
        for position, earlier in enumerate(ordered):
            for later in ordered[position + 1 :]:
                if facts[later].started_at - facts[earlier].started_at > window:
                    break
                if is_same_issue(facts[earlier], facts[later]):
                    has_repeat[earlier] = True
                    is_repeat[later] = True
    return tuple(
        fact
        if (fact.is_repeat_contact, fact.has_repeat_within_window) == (is_repeat[i], has_repeat[i])
        else replace(fact, is_repeat_contact=is_repeat[i], has_repeat_within_window=has_repeat[i])
        for i, fact in enumerate(facts)
    )


def register_contact(
    new: InteractionFact,
    stored: Iterable[InteractionFact],
    *,
    window_days: float = DEFAULT_WINDOW_DAYS,
) -> ContactRegistration:
    """Flags for a newly arrived contact and the stored contacts of the same customer it reclassifies.

    ``stored`` needs only the customer's contacts within ``window_days`` either side of ``new`` (more is
    harmless). Adding a contact can only turn flags on, so the result is exact even when contacts
    arrive out of order.
    """
    window = _window(window_days)
    is_repeat = False
    has_repeat = False
    changes: list[Reclassification] = []
    for fact in sorted(stored, key=_contact_order):
        if fact.interaction_id == new.interaction_id:
            raise ValueError(f"interaction_id {new.interaction_id!r} is already stored.")
        if _is_repeat_of(new, fact, window):
            is_repeat = True
            if not fact.has_repeat_within_window:
                changes.append(Reclassification(fact, replace(fact, has_repeat_within_window=True)))
        elif _is_repeat_of(fact, new, window):
            has_repeat = True
            if not fact.is_repeat_contact:
                changes.append(Reclassification(fact, replace(fact, is_repeat_contact=True)))
    fact = replace(new, is_repeat_contact=is_repeat, has_repeat_within_window=has_repeat)
    return ContactRegistration(fact=fact, reclassified=tuple(changes))


def reclassify_contacts(
    facts: Sequence[InteractionFact], *, window_days: float = DEFAULT_WINDOW_DAYS
) -> tuple[Reclassification, ...]:
    """Stored facts whose flags are wrong for this history, e.g. after a case or purpose was corrected.

    Pass the customer's whole history: a contact left out would be read as never having happened.
    """
    remarked = mark_repeat_contacts(facts, window_days=window_days)
    return tuple(Reclassification(old, new) for old, new in zip(facts, remarked) if old != new)

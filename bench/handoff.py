"""customer_repeat after hand-offs with and without a packet, measured on a stored operation (the demo).

    TRUSTDESK_DATABASE_URL=sqlite:///trustdesk.db .venv/bin/python bench/handoff.py

A hand-off is a contact of a case handled by a different agent than the contact before it (a transfer
minutes later, or the customer coming back days later to someone else). The demo does not store whether
the receiving agent read the notes, so "with packet" means the receiver's opening cites them: an agent turn
before the customer's first reply mentions the notes (``receiver_cites_notes``). customer_repeat is the
reference definition of ``compare_repeat_rates`` (docs/routing.md): the packet is built from the redacted
history before the hand-off in both groups.
"""
from __future__ import annotations

import itertools
import os

from sqlalchemy import select

from trustdesk.core.routing.repeats import compare_repeat_rates, receiver_cites_notes
from trustdesk.services.handoff import CaseContact, iter_handoffs, observation_of, turns_of
from trustdesk.storage import tables as t
from trustdesk.storage.db import create_database_engine


def load_observations(engine):
    query = (
        select(t.interactions.c.case_id, t.interactions.c.id, t.interactions.c.external_id,
               t.interactions.c.started_at, t.agents.c.external_id.label("agent"),
               t.vendors.c.key.label("vendor"), t.transcripts.c.turns)
        .join(t.agents, t.agents.c.id == t.interactions.c.agent_id)
        .join(t.vendors, t.vendors.c.id == t.interactions.c.vendor_id)
        .join(t.transcripts, t.transcripts.c.interaction_id == t.interactions.c.id)
        .order_by(t.interactions.c.case_id, t.interactions.c.started_at, t.interactions.c.id)
    )
    observations, cross_vendor = [], 0
    with engine.connect() as connection:
        rows = connection.execute(query)
        for _, group in itertools.groupby(rows, key=lambda row: row.case_id):
            contacts = [CaseContact(r.id, r.external_id, r.agent, r.vendor, r.started_at, turns_of(r.turns))
                        for r in group]
            for handoff in iter_handoffs(contacts):
                cross_vendor += handoff.history[-1].vendor != handoff.receiving.vendor
                observations.append(observation_of(handoff, had_packet=receiver_cites_notes(handoff.receiving.turns)))
    return observations, cross_vendor


def main() -> None:
    url = os.environ.get("TRUSTDESK_DATABASE_URL", "sqlite:///trustdesk.db")
    observations, cross_vendor = load_observations(create_database_engine(url))
    comparison = compare_repeat_rates(observations)
    print(f"hand-offs: {len(observations):,} ({cross_vendor:,} across vendors)")
    for label, rate in (("with packet", comparison.with_packet), ("without packet", comparison.without_packet)):
        shown = f"{rate.rate:.1%}" if rate.rate is not None else "n/a"
        print(f"customer_repeat {label:<15} {shown:>6}  ({rate.repeats:,} of {rate.handoffs:,})")


if __name__ == "__main__":
    main()

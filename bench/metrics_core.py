"""Pure-core metrics throughput: repeat-contact marking, rollup building and grouping, on synthetic facts.

Run: .venv/bin/python bench/metrics_core.py [N]   (default 100000 interactions, seeded, no database)
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta

from trustdesk.core.metrics.facts import InteractionFact
from trustdesk.core.metrics.reference import metrics_from_facts
from trustdesk.core.metrics.repeat_contacts import mark_repeat_contacts
from trustdesk.core.metrics.rollup import Dimension, metrics_by, rollup_facts

DAYS = 60
# A full-time agent handles roughly 80 contacts a day; the agent count follows from the volume.
CONTACTS_PER_AGENT_DAY = 80
PURPOSES = ["billing", "delivery", "account", "refund", "technical", "cancellation"]
PURPOSE_WEIGHTS = [35, 25, 15, 12, 10, 3]


def synthetic_agents(count: int, rng: random.Random) -> list[tuple[str, str, str, list[str], list[str]]]:
    agents = []
    for n in range(max(4, count // (DAYS * CONTACTS_PER_AGENT_DAY))):
        vendor = ["manila-bpo", "lisbon-cx", "bogota-care", "in-house"][n % 4]
        channels = rng.sample(["voice", "chat", "email", "social"], rng.choice([1, 2]))
        languages = ["en"] if rng.random() < 0.7 else rng.sample(["en", "es", "fr", "tl"], 2)
        agents.append((vendor, f"{vendor}-t{n % 5}", f"agent-{n}", channels, languages))
    return agents


def synthetic_facts(count: int, rng: random.Random) -> list[InteractionFact]:
    start = datetime(2026, 8, 1, tzinfo=UTC)
    agents = synthetic_agents(count, rng)
    facts = []
    for n in range(count):
        started_at = start + timedelta(minutes=rng.randrange(60 * 24 * DAYS))
        vendor, team, agent, channels, languages = rng.choice(agents)
        facts.append(
            InteractionFact(
                interaction_id=f"i{n:08d}",
                customer_id=f"c{rng.randrange(count // 3 + 1)}",
                case_id=f"k{rng.randrange(count // 2 + 1)}",
                started_at=started_at,
                day=started_at.date(),
                brand="acme",
                vendor=vendor,
                team=team,
                agent=agent,
                channel=rng.choice(channels),
                language=rng.choice(languages),
                purpose=rng.choices(PURPOSES, PURPOSE_WEIGHTS)[0],
                handle_seconds=rng.uniform(60, 1200),
                csat=rng.choice([None, None, 1, 3, 4, 5, 5]),
                nps=rng.choice([None, None, 2, 6, 8, 9, 10]),
                is_escalated=rng.random() < 0.05,
                is_transferred=rng.random() < 0.08,
                first_response_met=rng.random() < 0.9,
                qa_score=rng.uniform(50, 100),
                compliance_passed=rng.random() < 0.92,
                sentiment_change=rng.uniform(-1, 1),
            )
        )
    return facts


def timed(label: str, action):
    began = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - began
    print(f"{label:<44} {seconds * 1000:10.1f} ms")
    return result, seconds


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    facts = synthetic_facts(count, random.Random(20261001))
    print(f"interactions: {count:,}")
    marked, _ = timed("mark_repeat_contacts", lambda: mark_repeat_contacts(facts))
    rows, build_seconds = timed("rollup_facts (build all rollup rows)", lambda: rollup_facts(marked))
    print(f"rollup rows: {len(rows):,} ({count / len(rows):.1f} interactions per row)")
    items = list(rows.items())
    _, from_rollups = timed(
        "metrics_by vendor from rollup rows", lambda: metrics_by(items, by=Dimension.VENDOR)
    )
    _, brute = timed(
        "metrics_from_facts vendor (brute force)", lambda: metrics_from_facts(marked, by=Dimension.VENDOR)
    )
    print(f"brute force / rollups: {brute / from_rollups:.1f}x")
    print(f"build throughput: {count / build_seconds:,.0f} interactions/s")


if __name__ == "__main__":
    main()

"""Routing throughput with 2,000 agents, and customer_repeat after hand-offs with and without a packet.

Usage: .venv/bin/python bench/routing.py [--agents 2000] [--contacts 20000] [--seed 7] [--handoffs FILE]
The agent pool is built once (indexed by language, skill and channel) and reused for every decision, as a
router process would. ``--handoffs`` reads JSONL lines
{"before": [turns], "after": [turns], "had_packet": bool} (turns in the CONTRACTS.md section 1 shape,
redacted) and prints the customer_repeat rate per group.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trustdesk.core.model import Channel, Priority, Speaker, Turn
from trustdesk.core.routing.repeats import HandoffObservation, compare_repeat_rates
from trustdesk.core.routing.route import AgentPool, AgentState, Contact, route_contact
from trustdesk.core.workforce.shifts import Shift, parse_clock_time

SITES = [  # (vendor, country, time zone, languages the site hires for)
    ("manila-bpo", "PH", "Asia/Manila", ["en", "es", "tl"]),
    ("cebu-cx", "PH", "Asia/Manila", ["en", "ja"]),
    ("pune-care", "IN", "Asia/Kolkata", ["en", "hi", "de"]),
    ("berlin-cc", "DE", "Europe/Berlin", ["de", "en", "fr"]),
    ("lisbon-cx", "PT", "Europe/Lisbon", ["pt", "es", "en", "fr"]),
    ("bogota-bpo", "CO", "America/Bogota", ["es", "en", "pt"]),
    ("in-house", "US", "America/New_York", ["en", "es"]),
]
PURPOSES = ["billing", "technical", "orders", "account", "fraud", "general"]
SHIFT_STARTS = ["00:00", "06:00", "08:00", "09:00", "12:00", "14:00", "16:00", "22:00"]


def make_agents(count: int, rng: random.Random) -> list[AgentState]:
    agents = []
    for number in range(count):
        vendor, country, zone, languages = rng.choice(SITES)
        spoken = {
            language: rng.randint(2, 5) for language in rng.sample(languages, rng.randint(1, len(languages)))
        }
        start = parse_clock_time(rng.choice(SHIFT_STARTS))
        end = parse_clock_time(f"{(start.hour + 9) % 24:02d}:00")
        channels = frozenset(rng.sample(list(Channel), rng.randint(1, 3)))
        agents.append(
            AgentState(
                external_id=f"agent-{number:05d}",
                vendor=vendor,
                country=country,
                languages=spoken,
                skills=frozenset(rng.sample(PURPOSES, rng.randint(1, 3))),
                channels=channels,
                time_zone=zone,
                shift=Shift(start, end),
                load={channel: rng.randint(0, 3) for channel in channels},
                capacity={},
                occupancy=round(rng.uniform(0.3, 0.95), 2),
            )
        )
    return agents


def make_contacts(count: int, rng: random.Random) -> list[Contact]:
    start = datetime(2026, 10, 1, tzinfo=UTC)
    countries = [site[1] for site in SITES] + ["GB", "FR", "MX"]
    contacts = []
    for _ in range(count):
        country = rng.choice(countries)
        contacts.append(
            Contact(
                channel=rng.choice(list(Channel)),
                language=rng.choice(["en", "en", "en", "es", "es", "de", "fr", "pt", "tl", "hi", "ja"]),
                purpose=rng.choice(PURPOSES),
                priority=rng.choice(list(Priority)),
                customer_country=country,
                at=start + timedelta(minutes=rng.randrange(7 * 24 * 60)),
                allows_offshore_transfer=rng.random() < 0.8,
                allowed_countries=frozenset({"DE", "PT", "US"}) if rng.random() < 0.1 else None,
            )
        )
    return contacts


def bench_routing(agent_count: int, contact_count: int, seed: int) -> None:
    rng = random.Random(seed)
    agents = make_agents(agent_count, rng)
    contacts = make_contacts(contact_count, rng)
    began = time.perf_counter()
    pool = AgentPool(agents)
    build_seconds = time.perf_counter() - began
    for contact in contacts[
        :200
    ]:  # warm the per-(language, purpose, channel) exclusion memo like a live router
        route_contact(contact, pool)
    # Decisions are consumed one by one, as a router answers requests; keeping 20,000 of them alive (each
    # listing ~2,000 exclusions) would time the garbage collector instead of routing.
    routed, qualified_counts, exclusion_counts = 0, [], []
    began = time.perf_counter()
    for contact in contacts:
        decision = route_contact(contact, pool)
        routed += decision.agent is not None
        qualified_counts.append(decision.qualified)
        exclusion_counts.append(len(decision.excluded))
    pooled_seconds = time.perf_counter() - began
    unpooled = contacts[: max(1, contact_count // 100)]
    began = time.perf_counter()
    for contact in unpooled:
        route_contact(contact, agents)
    unpooled_seconds = time.perf_counter() - began
    pooled_rate = len(contacts) / pooled_seconds
    unpooled_rate = len(unpooled) / unpooled_seconds
    print(f"agents: {agent_count}  contacts: {contact_count}  seed: {seed}")
    print(f"pool build: {build_seconds * 1000:.1f} ms")
    print(f"decisions/s with a prebuilt pool: {pooled_rate:,.0f}  (target >= 5,000)")
    print(
        f"decisions/s building the pool per call: {unpooled_rate:,.0f}  "
        f"(pool speed-up x{pooled_rate / unpooled_rate:.0f})"
    )
    print(
        f"routed to an agent: {routed / len(contacts):.1%}; "
        f"median qualified agents: {statistics.median(qualified_counts):.0f}; "
        f"exclusions per decision: {statistics.mean(exclusion_counts):,.0f}"
    )


def read_observations(path: Path) -> list[HandoffObservation]:
    def turns(items: list[dict]) -> tuple[Turn, ...]:
        return tuple(
            Turn(Speaker(item["speaker"]), item["text"], item.get("offset_seconds")) for item in items
        )

    observations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            observations.append(
                HandoffObservation(
                    turns(record["before"]), turns(record["after"]), bool(record["had_packet"])
                )
            )
    return observations


def bench_repeats(path: Path) -> None:
    comparison = compare_repeat_rates(read_observations(path))
    for label, group in (
        ("with packet", comparison.with_packet),
        ("without packet", comparison.without_packet),
    ):
        rate = "n/a" if group.rate is None else f"{group.rate:.1%}"
        print(f"customer_repeat {label}: {rate} ({group.repeats}/{group.handoffs} hand-offs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--contacts", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--handoffs", type=Path)
    arguments = parser.parse_args()
    bench_routing(arguments.agents, arguments.contacts, arguments.seed)
    if arguments.handoffs is not None:
        bench_repeats(arguments.handoffs)


if __name__ == "__main__":
    main()

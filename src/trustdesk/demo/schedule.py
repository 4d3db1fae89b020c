"""Contact planning: which customer reaches which agent about which case, on which channel and when.

Plans are small records; transcripts are rendered from them later, one at a time, so the whole period
can be sorted by start time without holding 20,000 transcripts in memory.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import accumulate
from random import Random
from zoneinfo import ZoneInfo

from trustdesk.core.model import CaseStatus, Channel, Priority
from trustdesk.demo.customers import Customer
from trustdesk.demo.operation import PURPOSES, Agent, Operation


class ContactKind(enum.Enum):
    FIRST = "first"  # the customer's first contact about the case
    REPEAT = "repeat"  # the customer comes back days later because it is not solved
    HANDOFF = "handoff"  # minutes after a transfer, with another agent (maybe another vendor)


class Ending(enum.Enum):
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"
    ESCALATED = "escalated"
    TRANSFERRED = "transferred"


ENDING_STATUS = {
    Ending.RESOLVED: CaseStatus.RESOLVED,
    Ending.UNRESOLVED: CaseStatus.OPEN,
    Ending.ESCALATED: CaseStatus.ESCALATED,
    Ending.TRANSFERRED: CaseStatus.PENDING,
}

_CHANNELS = (Channel.VOICE, Channel.CHAT, Channel.EMAIL, Channel.SOCIAL)
_CHANNEL_WEIGHTS = (0.42, 0.3, 0.14, 0.14)
_PURPOSE_WEIGHTS = (0.22, 0.16, 0.2, 0.12, 0.1, 0.1, 0.1)
# Handle time in seconds per channel: (low, most likely, high) of a triangular draw.
_DURATION_SECONDS = {
    Channel.VOICE: (150, 380, 1200),
    Channel.CHAT: (300, 720, 1800),
    Channel.EMAIL: (240, 480, 1500),
    Channel.SOCIAL: (240, 600, 2400),
}
_WEEKDAY_LOAD = (1.15, 1.05, 1.0, 1.0, 0.95, 0.7, 0.5)  # Monday peaks, Sunday is quiet
_MAX_CONTACTS_PER_CASE = 4


@dataclass(frozen=True)
class ContactPlan:
    customer: Customer
    agent: Agent
    case_id: str
    purpose: str
    priority: Priority
    channel: Channel
    language: str
    started_at: datetime
    duration_seconds: float  # talking or typing time, hold excluded
    hold_seconds: int
    kind: ContactKind
    ending: Ending
    contact_number: int  # 1 for the case's first contact, 2 for the next, ...
    case_opened_at: datetime
    previous_agent: Agent | None = None


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


class AgentPool:
    """Finds agents who may take a contact: same brand, language level 3+, skill and channel match."""

    def __init__(self, agents: tuple[Agent, ...]) -> None:
        self._agents = agents
        self._cache: dict[tuple[str, str, Channel, str], tuple[Agent, ...]] = {}

    def qualified(self, brand: str, language: str, channel: Channel, purpose: str) -> tuple[Agent, ...]:
        """Best-matching agents, relaxing skill, then channel, when nobody matches everything."""
        key = (brand, language, channel, purpose)
        if key not in self._cache:
            speakers = [a for a in self._agents if a.brand == brand and a.proficiency(language) >= 3]
            if not speakers:
                speakers = [a for a in self._agents if a.brand == brand and a.proficiency("en") >= 3]
            exact = [a for a in speakers if channel in a.channels and purpose in a.skills]
            on_channel = [a for a in speakers if channel in a.channels]
            self._cache[key] = tuple(exact or on_channel or speakers)
        return self._cache[key]


def is_on_shift(agent: Agent, at: datetime) -> bool:
    """True when ``at`` falls inside the agent's shift in the agent's own time zone."""
    local = at.astimezone(_zone(agent.time_zone))
    minute = local.hour * 60 + local.minute
    start = agent.shift.start.hour * 60 + agent.shift.start.minute
    end = agent.shift.end.hour * 60 + agent.shift.end.minute
    return start <= minute < end if start < end else minute >= start or minute < end


def pick_start(agent: Agent, day: date, rng: Random, *, period_start: date, period_end: date) -> datetime:
    """A moment in the agent's shift on local ``day``, busier mid-shift, kept inside the period (UTC)."""
    shift_start = datetime.combine(day, agent.shift.start, tzinfo=_zone(agent.time_zone))
    span = agent.shift.length.total_seconds()
    moment = (shift_start + timedelta(seconds=rng.triangular(0, span, span * 0.45))).astimezone(UTC)
    if moment.date() > period_end:
        moment -= timedelta(days=1)
    elif moment.date() < period_start:
        moment += timedelta(days=1)
    return moment.replace(microsecond=0)


class ContactPlanner:
    """Draws case threads (first contact, hand-offs, repeat contacts) until the operation's volume is met."""

    def __init__(self, operation: Operation, rng: Random) -> None:
        self.operation = operation
        self.rng = rng
        self.pool = AgentPool(operation.agents)
        self.days = [operation.start + timedelta(days=offset) for offset in range(operation.days)]
        # Cumulative weights, computed once: random.choices would otherwise re-add 5,000 weights per call.
        self._day_cumulative = list(accumulate(_WEEKDAY_LOAD[day.weekday()] for day in self.days))
        # A fifth of customers get in touch three times as often: real contact volume is skewed.
        self._customer_cumulative = list(accumulate(3.0 if rng.random() < 0.2 else 1.0
                                                    for _ in operation.customers))

    def plan_all(self) -> list[ContactPlan]:
        """Exactly ``operation.interaction_count`` plans, ordered by start time then case."""
        plans: list[ContactPlan] = []
        case_number = 0
        target = self.operation.interaction_count
        while len(plans) < target:
            case_number += 1
            plans.extend(self.plan_case(f"case-{case_number:06d}"))
        plans = plans[:target]
        plans.sort(key=lambda plan: (plan.started_at, plan.case_id, plan.contact_number))
        return plans

    def plan_case(self, case_id: str) -> list[ContactPlan]:
        """One case's contacts, from the first until it is resolved, dropped or out of the period."""
        rng = self.rng
        customer = rng.choices(self.operation.customers, cum_weights=self._customer_cumulative)[0]
        purpose = rng.choices(PURPOSES, weights=_PURPOSE_WEIGHTS)[0]
        priority = self.draw_priority(purpose)
        channel = rng.choices(_CHANNELS, weights=_CHANNEL_WEIGHTS)[0]
        day = rng.choices(self.days, cum_weights=self._day_cumulative)[0]
        agent = self.pick_agent(customer, channel, purpose, day=day)
        started_at = pick_start(agent, day, rng, period_start=self.operation.start, period_end=self.operation.end)
        kind, previous, opened_at = ContactKind.FIRST, None, started_at
        plans: list[ContactPlan] = []
        for number in range(1, _MAX_CONTACTS_PER_CASE + 1):
            is_last_allowed = number == _MAX_CONTACTS_PER_CASE
            ending = self.draw_ending(agent, kind, is_last_allowed=is_last_allowed)
            duration = round(rng.triangular(*_DURATION_SECONDS[channel]))
            hold = rng.randint(20, 180) if channel is Channel.VOICE and rng.random() < 0.4 else 0
            plans.append(ContactPlan(customer, agent, case_id, purpose, priority, channel, customer.language,
                                     started_at, duration, hold, kind, ending, number, opened_at, previous))
            if ending is Ending.RESOLVED or is_last_allowed:
                break
            if ending is Ending.TRANSFERRED:
                started_at = started_at + timedelta(seconds=duration + hold + rng.randint(30, 300))
                previous, agent = agent, self.pick_handoff_agent(customer, channel, purpose, agent, started_at)
                kind = ContactKind.HANDOFF
                continue
            # Unresolved or escalated: most customers come back within days, some give up.
            if rng.random() > 0.7:
                break
            next_day = started_at.date() + timedelta(days=rng.randint(1, 5))
            if next_day > self.operation.end:
                break
            if rng.random() < 0.3:
                channel = rng.choices(_CHANNELS, weights=_CHANNEL_WEIGHTS)[0]
            previous, agent = agent, self.pick_agent(customer, channel, purpose, day=next_day)
            started_at = pick_start(agent, next_day, rng, period_start=self.operation.start,
                                    period_end=self.operation.end)
            kind = ContactKind.REPEAT
        return plans

    def draw_priority(self, purpose: str) -> Priority:
        """Fraud is urgent or high, complaints lean high, the rest mostly normal."""
        roll = self.rng.random()
        if purpose == "fraud_report":
            return Priority.URGENT if roll < 0.6 else Priority.HIGH
        if purpose == "complaint":
            return Priority.HIGH if roll < 0.4 else Priority.NORMAL
        return Priority.LOW if roll < 0.15 else Priority.HIGH if roll > 0.92 else Priority.NORMAL

    def draw_ending(self, agent: Agent, kind: ContactKind, *, is_last_allowed: bool) -> Ending:
        """How the contact ends, mostly decided by the agent's own record of resolving."""
        roll = self.rng.random()
        if not is_last_allowed and kind is not ContactKind.HANDOFF and roll < 0.08:
            return Ending.TRANSFERRED
        if roll < 0.15:
            return Ending.ESCALATED
        # A later contact is more often the one that solves it.
        resolve_chance = agent.conduct.resolves + (0.1 if kind is not ContactKind.FIRST else 0.0)
        return Ending.RESOLVED if self.rng.random() < resolve_chance else Ending.UNRESOLVED

    def pick_agent(self, customer: Customer, channel: Channel, purpose: str, *, day: date) -> Agent:
        """A qualified agent who works on ``day`` (agents have two days off a week)."""
        candidates = self.pool.qualified(customer.brand, customer.language, channel, purpose)
        working = [agent for agent in candidates if day.weekday() not in agent.days_off]
        return self.rng.choice(working or candidates)

    def pick_handoff_agent(self, customer: Customer, channel: Channel, purpose: str, previous: Agent,
                           at: datetime) -> Agent:
        """Another qualified agent on shift at ``at``; anyone qualified when nobody is on shift."""
        candidates = [agent for agent in self.pool.qualified(customer.brand, customer.language, channel, purpose)
                      if agent.external_id != previous.external_id]
        if not candidates:
            return previous
        on_shift = [agent for agent in candidates if is_on_shift(agent, at)]
        return self.rng.choice(on_shift or candidates)

"""Routing: pick the queue and the least-occupied agent that satisfies every hard rule, and say why.

Hard rules (CONTRACTS.md section 6), checked in this order: language proficiency >= 3, skill, channel,
consent (no offshore transfer keeps the contact in the customer's country), data residency, load below the
channel capacity, occupancy below the cap, and last the shift at the contact's time in the agent's zone.
Every rule but the shift depends only on the pool snapshot and a few fields of the contact, so the pool
screens agents once per distinct combination and a decision only checks shifts of the few survivors.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from trustdesk.core.model import Channel, Priority
from trustdesk.core.workforce.calendar import load_zone
from trustdesk.core.workforce.shifts import Shift

SERVING_PROFICIENCY = 3
DEFAULT_OCCUPANCY_CAP = 0.85
# Concurrent contacts an agent holds when no capacity is configured: one call, a few chats, a batch of emails.
DEFAULT_CAPACITY: Mapping[Channel, int] = {
    Channel.VOICE: 1,
    Channel.CHAT: 3,
    Channel.EMAIL: 8,
    Channel.SOCIAL: 3,
}


class Rule(str, enum.Enum):
    """Hard rules in evaluation order; an exclusion names the first rule the agent fails."""

    LANGUAGE = "language"
    SKILL = "skill"
    CHANNEL = "channel"
    CONSENT = "consent"
    RESIDENCY = "residency"
    CAPACITY = "capacity"
    OCCUPANCY_CAP = "occupancy_cap"
    SHIFT = "shift"


@dataclass(frozen=True)
class Contact:
    """A new contact to route; ``at`` is an aware datetime, countries are ISO 3166 alpha-2."""

    channel: Channel
    language: str
    purpose: str
    priority: Priority
    customer_country: str
    at: datetime
    allows_offshore_transfer: bool = True
    allowed_countries: frozenset[str] | None = None  # brand data residency; None = no limit


@dataclass(frozen=True)
class AgentState:
    """An agent as routing sees them now: proficiencies 1-5, current load and capacity per channel."""

    external_id: str
    vendor: str
    country: str
    languages: Mapping[str, int]
    skills: frozenset[str]
    channels: frozenset[Channel]
    time_zone: str
    shift: Shift
    load: Mapping[Channel, int]
    capacity: Mapping[Channel, int]
    occupancy: float

    def capacity_for(self, channel: Channel) -> int:
        return self.capacity.get(channel, DEFAULT_CAPACITY[channel])


@dataclass(frozen=True)
class Exclusion:
    agent: str
    rule: Rule
    detail: str

    @property
    def reason(self) -> str:
        return f"{self.rule.value}: {self.detail}"


@dataclass(frozen=True)
class RoutingDecision:
    """The chosen agent (None: the contact waits in ``queue``), why, and each excluded agent with its rule."""

    agent: str | None
    queue: str
    reasons: tuple[str, ...]
    excluded: tuple[Exclusion, ...]
    qualified: int


def queue_name(contact: Contact) -> str:
    """The queue a contact joins: ``language-purpose-channel``, e.g. ``es-billing-chat``."""
    return f"{normalize_language(contact.language)}-{contact.purpose.lower()}-{contact.channel.value}"


def normalize_language(code: str) -> str:
    """Primary language subtag, lower case: ``es-MX`` and ``ES`` both serve ``es``."""
    return code.replace("_", "-").split("-", 1)[0].lower()


@dataclass(frozen=True)
class Screen:
    """Agents that passed some rules (in external_id order) and the exclusions those rules produced."""

    excluded: tuple[Exclusion, ...]
    remaining: tuple[AgentState, ...]


class AgentPool:
    """A snapshot of agents, screened once per distinct contact attributes so decisions stay cheap.

    The memo dictionaries hold pure functions of the snapshot; they only grow, and never change an answer.
    """

    def __init__(self, agents: Sequence[AgentState]) -> None:
        self.agents = tuple(sorted(agents, key=lambda agent: agent.external_id))
        if len({agent.external_id for agent in self.agents}) != len(self.agents):
            raise ValueError("agent external_id values must be unique in a pool")
        self._zones = {agent.time_zone: load_zone(agent.time_zone) for agent in self.agents}
        self._proficiency = {
            agent.external_id: {normalize_language(code): level for code, level in agent.languages.items()}
            for agent in self.agents
        }
        self._skills = {agent.external_id: {skill.lower() for skill in agent.skills} for agent in self.agents}
        # The shift exclusion names no contact-specific time, so one object per agent serves every decision.
        self._off_shift = {
            agent.external_id: Exclusion(
                agent.external_id,
                Rule.SHIFT,
                f"off shift: works {agent.shift.start:%H:%M}-{agent.shift.end:%H:%M} in {agent.time_zone}",
            )
            for agent in self.agents
        }
        self._by_language: dict[str, Screen] = {}
        self._by_skill: dict[tuple[str, str], Screen] = {}
        self._by_channel: dict[tuple[str, str, Channel], Screen] = {}
        self._by_placement: dict[tuple[object, ...], Screen] = {}

    def proficiency(self, agent: AgentState, language: str) -> int:
        return self._proficiency[agent.external_id].get(language, 0)

    def zone(self, agent: AgentState) -> ZoneInfo:
        return self._zones[agent.time_zone]

    def off_shift(self, agent: AgentState) -> Exclusion:
        return self._off_shift[agent.external_id]

    def screen_static(self, language: str, purpose: str, channel: Channel) -> Screen:
        """Language, skill and channel rules; ``excluded`` holds all three rules' exclusions in order."""
        key = (language, purpose, channel)
        if key not in self._by_channel:
            skilled = self._screen_skill(language, purpose)
            excluded, remaining = list(skilled.excluded), []
            for agent in skilled.remaining:
                if channel in agent.channels:
                    remaining.append(agent)
                else:
                    detail = f"does not work the '{channel.value}' channel"
                    excluded.append(Exclusion(agent.external_id, Rule.CHANNEL, detail))
            self._by_channel[key] = Screen(tuple(excluded), tuple(remaining))
        return self._by_channel[key]

    def screen_placement(
        self,
        static_key: tuple[str, str, Channel],
        *,
        only_country: str | None,
        allowed_countries: frozenset[str] | None,
        occupancy_cap: float,
    ) -> Screen:
        """Consent, residency, capacity and occupancy over the static survivors; only their exclusions."""
        key = (static_key, only_country, allowed_countries, occupancy_cap)
        if key not in self._by_placement:
            channel = static_key[2]
            excluded: dict[Rule, list[Exclusion]] = {
                Rule.CONSENT: [],
                Rule.RESIDENCY: [],
                Rule.CAPACITY: [],
                Rule.OCCUPANCY_CAP: [],
            }
            remaining = []
            for agent in self.screen_static(*static_key).remaining:
                failure = _placement_failure(agent, channel, only_country, allowed_countries, occupancy_cap)
                if failure is None:
                    remaining.append(agent)
                else:
                    excluded[failure.rule].append(failure)
            flat = tuple(exclusion for rule in excluded for exclusion in excluded[rule])
            self._by_placement[key] = Screen(flat, tuple(remaining))
        return self._by_placement[key]

    def _screen_language(self, language: str) -> Screen:
        if language not in self._by_language:
            excluded, remaining = [], []
            for agent in self.agents:
                level = self.proficiency(agent, language)
                if level >= SERVING_PROFICIENCY:
                    remaining.append(agent)
                else:
                    detail = f"proficiency {level} in '{language}' is below {SERVING_PROFICIENCY}"
                    excluded.append(Exclusion(agent.external_id, Rule.LANGUAGE, detail))
            self._by_language[language] = Screen(tuple(excluded), tuple(remaining))
        return self._by_language[language]

    def _screen_skill(self, language: str, purpose: str) -> Screen:
        key = (language, purpose)
        if key not in self._by_skill:
            spoken = self._screen_language(language)
            excluded, remaining = list(spoken.excluded), []
            for agent in spoken.remaining:
                if purpose in self._skills[agent.external_id]:
                    remaining.append(agent)
                else:
                    excluded.append(Exclusion(agent.external_id, Rule.SKILL, f"no '{purpose}' skill"))
            self._by_skill[key] = Screen(tuple(excluded), tuple(remaining))
        return self._by_skill[key]


def route_contact(
    contact: Contact,
    agents: Sequence[AgentState] | AgentPool,
    *,
    occupancy_cap: float = DEFAULT_OCCUPANCY_CAP,
) -> RoutingDecision:
    """Choose the least-occupied agent passing every hard rule; exclusions ordered by rule, then agent id."""
    if contact.at.tzinfo is None or contact.at.utcoffset() is None:
        raise ValueError(f"contact.at must carry a time zone, got naive {contact.at.isoformat()}")
    pool = agents if isinstance(agents, AgentPool) else AgentPool(agents)
    static_key = (normalize_language(contact.language), contact.purpose.lower(), contact.channel)
    static = pool.screen_static(*static_key)
    allowed = None
    if contact.allowed_countries is not None:
        allowed = frozenset(country.upper() for country in contact.allowed_countries)
    placed = pool.screen_placement(
        static_key,
        only_country=None if contact.allows_offshore_transfer else contact.customer_country.upper(),
        allowed_countries=allowed,
        occupancy_cap=occupancy_cap,
    )
    local_minutes: dict[str, tuple[int, int]] = {}
    qualified: list[AgentState] = []
    off_shift: list[Exclusion] = []
    for agent in placed.remaining:
        local = local_minutes.get(agent.time_zone)
        if local is None:
            moment = contact.at.astimezone(pool.zone(agent))
            local = local_minutes[agent.time_zone] = (moment.weekday(), moment.hour * 60 + moment.minute)
        if agent.shift.covers_minute(*local):
            qualified.append(agent)
        else:
            off_shift.append(pool.off_shift(agent))
    excluded = static.excluded + placed.excluded + tuple(off_shift)
    queue = queue_name(contact)
    if not qualified:
        reasons = (
            f"no agent satisfies every hard rule ({len(excluded)} excluded); "
            f"the contact waits in queue {queue}",
        )
        return RoutingDecision(None, queue, reasons, excluded, 0)
    language = static_key[0]
    chosen = min(
        qualified, key=lambda agent: (agent.occupancy, -pool.proficiency(agent, language), agent.external_id)
    )
    return RoutingDecision(
        chosen.external_id,
        queue,
        _explain_choice(chosen, qualified, pool, language),
        excluded,
        len(qualified),
    )


def _placement_failure(
    agent: AgentState,
    channel: Channel,
    only_country: str | None,
    allowed_countries: frozenset[str] | None,
    occupancy_cap: float,
) -> Exclusion | None:
    country = agent.country.upper()
    if only_country is not None and country != only_country:
        detail = f"customer in {only_country} has not consented to transfer to {country}"
        return Exclusion(agent.external_id, Rule.CONSENT, detail)
    if allowed_countries is not None and country not in allowed_countries:
        allowed = ", ".join(sorted(allowed_countries))
        return Exclusion(
            agent.external_id, Rule.RESIDENCY, f"{country} is outside the allowed countries ({allowed})"
        )
    load, capacity = agent.load.get(channel, 0), agent.capacity_for(channel)
    if load >= capacity:
        return Exclusion(
            agent.external_id, Rule.CAPACITY, f"{channel.value} load {load} has reached capacity {capacity}"
        )
    if agent.occupancy >= occupancy_cap:
        detail = f"occupancy {agent.occupancy:.2f} is at or above the cap {occupancy_cap:.2f}"
        return Exclusion(agent.external_id, Rule.OCCUPANCY_CAP, detail)
    return None


def _explain_choice(
    chosen: AgentState, qualified: Sequence[AgentState], pool: AgentPool, language: str
) -> tuple[str, ...]:
    level = pool.proficiency(chosen, language)
    reasons = [
        f"{len(qualified)} agent(s) pass every hard rule",
        f"least occupied: {chosen.external_id} at occupancy {chosen.occupancy:.2f}",
    ]
    tied = [agent for agent in qualified if agent.occupancy == chosen.occupancy]
    if len(tied) > 1:
        same_level = [agent for agent in tied if pool.proficiency(agent, language) == level]
        if len(same_level) < len(tied):
            reasons.append(f"tie on occupancy broken by language proficiency {level} in '{language}'")
        else:
            reasons.append("tie on occupancy and proficiency broken by external_id")
    return tuple(reasons)

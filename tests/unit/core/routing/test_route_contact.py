from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.core.model import Channel, Priority
from trustdesk.core.routing.route import (
    AgentPool,
    AgentState,
    Contact,
    Rule,
    normalize_language,
    queue_name,
    route_contact,
)
from trustdesk.core.workforce.shifts import Shift

AT = datetime(2026, 10, 1, 14, 0, tzinfo=UTC)  # a Thursday; 16:00 in Berlin, 22:00 in Manila


def make_contact(**changes) -> Contact:
    base = Contact(
        channel=Channel.CHAT,
        language="es",
        purpose="billing",
        priority=Priority.NORMAL,
        customer_country="DE",
        at=AT,
        allows_offshore_transfer=True,
        allowed_countries=None,
    )
    return replace(base, **changes)


def make_agent(external_id: str, **changes) -> AgentState:
    base = AgentState(
        external_id=external_id,
        vendor="berlin-cc",
        country="DE",
        languages={"es": 4, "de": 5},
        skills=frozenset({"billing"}),
        channels=frozenset({Channel.CHAT, Channel.VOICE}),
        time_zone="Europe/Berlin",
        shift=Shift(time(9), time(18)),
        load={Channel.CHAT: 1},
        capacity={Channel.CHAT: 3},
        occupancy=0.5,
    )
    return replace(base, **changes)


def test_least_occupied_qualified_agent_is_chosen():
    agents = [make_agent("a", occupancy=0.7), make_agent("b", occupancy=0.3), make_agent("c", occupancy=0.5)]
    decision = route_contact(make_contact(), agents)
    assert decision.agent == "b"
    assert decision.queue == "es-billing-chat"
    assert decision.excluded == ()
    assert decision.qualified == 3
    assert "least occupied: b at occupancy 0.30" in decision.reasons


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"languages": {"es": 2, "en": 5}}, Rule.LANGUAGE),
        ({"languages": {"en": 5}}, Rule.LANGUAGE),
        ({"skills": frozenset({"technical"})}, Rule.SKILL),
        ({"channels": frozenset({Channel.VOICE})}, Rule.CHANNEL),
        ({"shift": Shift(time(6), time(15))}, Rule.SHIFT),
        ({"time_zone": "Asia/Manila"}, Rule.SHIFT),  # 22:00 in Manila
        ({"load": {Channel.CHAT: 3}}, Rule.CAPACITY),
        ({"occupancy": 0.85}, Rule.OCCUPANCY_CAP),
        ({"occupancy": 0.84}, None),
        ({"languages": {"ES-mx": 3}}, None),
    ],
)
def test_each_hard_rule_excludes_with_its_name(changes, rule):
    decision = route_contact(make_contact(), [make_agent("x", **changes)])
    if rule is None:
        assert decision.agent == "x"
        assert decision.excluded == ()
    else:
        assert decision.agent is None
        assert [(item.agent, item.rule) for item in decision.excluded] == [("x", rule)]
        assert decision.excluded[0].reason.startswith(f"{rule.value}: ")


def test_consent_without_offshore_transfer_keeps_the_contact_in_country():
    agents = [make_agent("ph", country="PH", occupancy=0.1), make_agent("de", country="DE", occupancy=0.6)]
    decision = route_contact(make_contact(allows_offshore_transfer=False), agents)
    assert decision.agent == "de"
    assert [(item.agent, item.rule) for item in decision.excluded] == [("ph", Rule.CONSENT)]


def test_residency_limits_countries_even_with_offshore_consent():
    agents = [make_agent("ph", country="PH", occupancy=0.1), make_agent("at", country="AT", occupancy=0.6)]
    decision = route_contact(make_contact(allowed_countries=frozenset({"DE", "AT"})), agents)
    assert decision.agent == "at"
    assert decision.excluded[0].rule is Rule.RESIDENCY


def test_missing_capacity_uses_channel_default():
    voice = make_contact(channel=Channel.VOICE)
    assert route_contact(voice, [make_agent("x", load={Channel.VOICE: 0}, capacity={})]).agent == "x"
    assert route_contact(voice, [make_agent("x", load={Channel.VOICE: 1}, capacity={})]).agent is None


def test_overnight_shift_covers_early_morning_of_next_day():
    night = make_agent("n", shift=Shift(time(22), time(6)), time_zone="America/New_York")
    # 2026-10-01 07:00 UTC is 03:00 in New York.
    assert route_contact(make_contact(at=datetime(2026, 10, 1, 7, tzinfo=UTC)), [night]).agent == "n"
    assert route_contact(make_contact(at=datetime(2026, 10, 1, 12, tzinfo=UTC)), [night]).agent is None


def test_ties_prefer_higher_proficiency_then_external_id():
    agents = [make_agent("b", languages={"es": 3}), make_agent("c", languages={"es": 5}), make_agent("a")]
    decision = route_contact(make_contact(), agents)
    assert decision.agent == "c"
    assert any("proficiency" in reason for reason in decision.reasons)
    twins = [make_agent("b"), make_agent("a")]
    assert route_contact(make_contact(), twins).agent == "a"


def test_exclusions_are_ordered_by_rule_then_agent():
    agents = [
        make_agent("z-shift", shift=Shift(time(0), time(1))),
        make_agent("y-language", languages={"fr": 5}),
        make_agent("x-capacity", load={Channel.CHAT: 9}),
        make_agent("w-language", languages={}),
    ]
    decision = route_contact(make_contact(), AgentPool(agents))
    assert [item.agent for item in decision.excluded] == ["w-language", "y-language", "x-capacity", "z-shift"]


def test_naive_contact_time_is_rejected():
    with pytest.raises(ValueError, match="contact.at"):
        route_contact(make_contact(at=datetime(2026, 10, 1, 14)), [make_agent("x")])


def test_duplicate_agent_ids_are_rejected():
    with pytest.raises(ValueError, match="unique"):
        AgentPool([make_agent("x"), make_agent("x")])


def test_queue_name_and_language_normalization():
    assert (
        queue_name(make_contact(language="ES-mx", purpose="Billing", channel=Channel.EMAIL))
        == "es-billing-email"
    )
    assert normalize_language("pt_BR") == "pt"


# Property tests: an independent restatement of the hard rules checks the engine.
COUNTRIES = ["DE", "AT", "PH", "IN", "US"]
ZONES = ["Europe/Berlin", "Asia/Manila", "America/New_York", "UTC"]
PURPOSES = ["billing", "technical"]


def violated_rules(contact: Contact, agent: AgentState, cap: float) -> set[Rule]:
    local = contact.at.astimezone(ZoneInfo(agent.time_zone)).time()
    start, end = agent.shift.start, agent.shift.end
    on_shift = (
        start <= local < end if start < end else (local >= start or local < end) if start > end else True
    )
    capacity = agent.capacity.get(
        contact.channel, {"voice": 1, "chat": 3, "email": 8, "social": 3}[contact.channel.value]
    )
    checks = {
        Rule.LANGUAGE: agent.languages.get(contact.language, 0) >= 3,
        Rule.SKILL: contact.purpose in agent.skills,
        Rule.CHANNEL: contact.channel in agent.channels,
        Rule.CONSENT: contact.allows_offshore_transfer or agent.country == contact.customer_country,
        Rule.RESIDENCY: contact.allowed_countries is None or agent.country in contact.allowed_countries,
        Rule.SHIFT: on_shift,
        Rule.CAPACITY: agent.load.get(contact.channel, 0) < capacity,
        Rule.OCCUPANCY_CAP: agent.occupancy < cap,
    }
    return {rule for rule, passed in checks.items() if not passed}


clock_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 30]))
agent_states = st.builds(
    AgentState,
    external_id=st.text("abcdefgh", min_size=1, max_size=4),
    vendor=st.just("v"),
    country=st.sampled_from(COUNTRIES),
    languages=st.dictionaries(st.sampled_from(["es", "en", "de"]), st.integers(1, 5)),
    skills=st.frozensets(st.sampled_from(PURPOSES)),
    channels=st.frozensets(st.sampled_from(list(Channel)), min_size=1),
    time_zone=st.sampled_from(ZONES),
    shift=st.builds(Shift, clock_times, clock_times),
    load=st.dictionaries(st.sampled_from(list(Channel)), st.integers(0, 4)),
    capacity=st.dictionaries(st.sampled_from(list(Channel)), st.integers(0, 4)),
    occupancy=st.sampled_from([0.0, 0.2, 0.5, 0.5, 0.84, 0.85, 0.9]),
)
contacts = st.builds(
    Contact,
    channel=st.sampled_from(list(Channel)),
    language=st.sampled_from(["es", "en", "de"]),
    purpose=st.sampled_from(PURPOSES),
    priority=st.just(Priority.NORMAL),
    customer_country=st.sampled_from(COUNTRIES),
    at=st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC)),
    allows_offshore_transfer=st.booleans(),
    allowed_countries=st.none() | st.frozensets(st.sampled_from(COUNTRIES)),
)
agent_lists = st.lists(agent_states, max_size=12, unique_by=lambda agent: agent.external_id)


@settings(max_examples=200, deadline=None)
@given(contacts, agent_lists)
def test_property_chosen_agent_satisfies_every_rule_and_exists_when_possible(contact, agents):
    decision = route_contact(contact, agents)
    eligible = [agent for agent in agents if not violated_rules(contact, agent, 0.85)]
    if eligible:
        chosen = next(agent for agent in agents if agent.external_id == decision.agent)
        assert not violated_rules(contact, chosen, 0.85)
        assert chosen.occupancy == min(agent.occupancy for agent in eligible)
    else:
        assert decision.agent is None
    assert decision.qualified == len(eligible)


@settings(max_examples=200, deadline=None)
@given(contacts, agent_lists)
def test_property_every_exclusion_names_a_rule_the_agent_breaks(contact, agents):
    decision = route_contact(contact, agents)
    by_id = {agent.external_id: agent for agent in agents}
    excluded_ids = [item.agent for item in decision.excluded]
    assert len(excluded_ids) == len(set(excluded_ids))
    for item in decision.excluded:
        assert item.rule in violated_rules(contact, by_id[item.agent], 0.85)
        assert item.reason.startswith(item.rule.value + ": ")
    failing = {agent.external_id for agent in agents if violated_rules(contact, agent, 0.85)}
    assert set(excluded_ids) == failing


@settings(max_examples=200, deadline=None)
@given(contacts, agent_lists)
def test_property_never_routes_outside_allowed_countries_or_consent(contact, agents):
    decision = route_contact(contact, agents)
    if decision.agent is None:
        return
    country = next(agent.country for agent in agents if agent.external_id == decision.agent)
    if contact.allowed_countries is not None:
        assert country in contact.allowed_countries
    if not contact.allows_offshore_transfer:
        assert country == contact.customer_country

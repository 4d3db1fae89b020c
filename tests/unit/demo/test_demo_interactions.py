import re
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest

from trustdesk.demo.cards import is_luhn_valid
from trustdesk.demo.interactions import iter_interactions
from trustdesk.demo.operation import PURPOSES, build_operation
from trustdesk.demo.phrasebook import load_phrasebook

END = date(2026, 11, 20)
CHANNELS = {"voice", "chat", "email", "social"}
PRIORITIES = {"low", "normal", "high", "urgent"}
STATUSES = {"open", "pending", "escalated", "resolved"}
CUSTOMER_FIELDS = {"external_id", "name", "email", "phone", "address", "date_of_birth", "account_number", "country"}
TOP_FIELDS = {"external_id", "brand", "vendor", "channel", "language", "started_at", "ended_at", "hold_seconds",
              "wrap_seconds", "customer", "agent", "case", "turns", "survey"}
REQUIRED = TOP_FIELDS - {"language", "hold_seconds", "wrap_seconds", "survey"}
CARD_CANDIDATE = re.compile(r"\b\d{4}[ -]?\d{4,6}[ -]?\d{4,5}(?:[ -]?\d{4})?\b")


def _operation(seed: int):
    return build_operation(seed, end=END, interactions=500, customers=300)


@pytest.fixture(scope="module")
def operation():
    return _operation(21)


@pytest.fixture(scope="module")
def interactions(operation):
    return list(iter_interactions(operation, 21))


def _parse_time(text: str) -> datetime:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _text(interaction: dict) -> str:
    return "\n".join(turn["text"] for turn in interaction["turns"])


def test_same_seed_gives_identical_output_and_another_seed_does_not(interactions) -> None:
    assert list(iter_interactions(_operation(21), 21)) == interactions
    assert list(iter_interactions(_operation(21), 22)) != interactions
    assert list(iter_interactions(_operation(23), 21)) != interactions


def test_exactly_the_requested_count_with_unique_ids(interactions) -> None:
    assert len(interactions) == 500
    assert len({item["external_id"] for item in interactions}) == 500


def test_every_interaction_has_the_contract_shape(operation, interactions) -> None:
    brands = {brand.key for brand in operation.brands}
    vendors = {vendor.key for vendor in operation.vendors}
    agents = {agent.external_id for agent in operation.agents}
    for item in interactions:
        assert REQUIRED <= set(item) <= TOP_FIELDS
        assert item["brand"] in brands and item["vendor"] in vendors
        assert item["channel"] in CHANNELS
        assert isinstance(item.get("language", "en"), str)
        started, ended = _parse_time(item["started_at"]), _parse_time(item["ended_at"])
        assert started < ended
        assert isinstance(item["hold_seconds"], int) and item["hold_seconds"] >= 0
        assert isinstance(item["wrap_seconds"], int) and item["wrap_seconds"] > 0
        assert set(item["customer"]) == CUSTOMER_FIELDS
        assert all(isinstance(value, str) and value for value in item["customer"].values())
        date.fromisoformat(item["customer"]["date_of_birth"])
        assert item["agent"] == {"external_id": item["agent"]["external_id"]}
        assert item["agent"]["external_id"] in agents
        case = item["case"]
        assert set(case) == {"external_id", "purpose", "priority", "status"}
        assert case["purpose"] in PURPOSES and case["priority"] in PRIORITIES and case["status"] in STATUSES
        offsets = [turn["offset_seconds"] for turn in item["turns"]]
        assert offsets == sorted(offsets) and offsets[0] == 0.0
        assert offsets[-1] <= (ended - started).total_seconds()
        for turn in item["turns"]:
            assert set(turn) == {"speaker", "text", "offset_seconds"}
            assert turn["speaker"] in {"agent", "customer"} and turn["text"].strip()
            assert "{" not in turn["text"], turn["text"]
        if "survey" in item:
            survey = item["survey"]
            assert set(survey) <= {"csat", "nps", "comment"}
            assert 1 <= survey["csat"] <= 5 and 0 <= survey["nps"] <= 10


def test_agent_serves_the_interactions_brand_and_vendor(operation, interactions) -> None:
    agents = {agent.external_id: agent for agent in operation.agents}
    for item in interactions:
        agent = agents[item["agent"]["external_id"]]
        assert (agent.brand, agent.vendor) == (item["brand"], item["vendor"])


def test_times_are_ordered_and_inside_the_period(operation, interactions) -> None:
    starts = [_parse_time(item["started_at"]) for item in interactions]
    assert starts == sorted(starts)
    assert operation.start <= starts[0].date() and starts[-1].date() <= END
    assert len({moment.hour for moment in starts}) >= 16


def test_mix_of_channels_languages_vendors_and_outcomes(operation, interactions) -> None:
    assert {item["channel"] for item in interactions} == CHANNELS
    assert {"en", "es", "pt", "fr"} <= {item.get("language") for item in interactions}
    assert len({v.country for v in operation.vendors if any(i["vendor"] == v.key for i in interactions)}) >= 3
    assert {item["case"]["status"] for item in interactions} == STATUSES


def test_turn_counts_average_about_twenty_with_voice_longest(interactions) -> None:
    def average(channel: str | None) -> float:
        counts = [len(i["turns"]) for i in interactions if channel is None or i["channel"] == channel]
        return sum(counts) / len(counts)

    assert 16 <= average(None) <= 24
    assert average("voice") > average("chat") > average("email")


def test_card_numbers_are_typed_luhn_valid_and_also_spoken(interactions) -> None:
    typed = [match.group() for item in interactions for match in CARD_CANDIDATE.finditer(_text(item))]
    assert typed and all(is_luhn_valid(number) for number in typed)
    spoken = [item for item in interactions if item["channel"] == "voice"
              and re.search(r"\b(?:four|five|three)(?: (?:zero|oh|one|two|three|four|five|six|seven|eight|nine),?){10,}",
                            _text(item))]
    assert spoken


def test_spoken_emails_and_oh_for_zero_appear(interactions) -> None:
    text = "\n".join(_text(item) for item in interactions if item["channel"] == "voice")
    assert re.search(r"\w+ dot \w+ at example dot (?:com|org|net)", text)
    assert re.search(r"\boh\b", text)


def _said(interaction: dict, key: str) -> bool:
    lines = load_phrasebook(interaction.get("language", "en")).lines(key)
    prefixes = tuple(line.split("{")[0] for line in lines)
    return any(turn["text"].find(prefix) >= 0 for turn in interaction["turns"] for prefix in prefixes if prefix)


def test_recording_disclosure_given_on_most_voice_calls_and_missing_on_some(interactions) -> None:
    voice = [item for item in interactions if item["channel"] == "voice" and "language" in item]
    disclosed = [item for item in voice if _said(item, "agent.recording_disclosure")]
    assert 0.5 * len(voice) < len(disclosed) < len(voice)


def test_consent_stated_before_collection_in_some_and_not_in_others(interactions) -> None:
    english = [item for item in interactions if item.get("language") == "en"]
    assert any(_said(item, "agent.ask_with_purpose.dob") for item in english)
    assert any(_said(item, "agent.ask_bare.dob") for item in english)


def test_location_questions_get_truthful_and_evasive_answers(interactions) -> None:
    english = [item for item in interactions if item.get("language") == "en"]
    assert any(_said(item, "agent.location_truthful") for item in english)
    assert any(_said(item, "agent.location_evasive") for item in english)


def _cases(interactions) -> dict[str, list[dict]]:
    cases: dict[str, list[dict]] = defaultdict(list)
    for item in interactions:
        cases[item["case"]["external_id"]].append(item)
    return cases


def test_repeat_contacts_by_the_same_customer_within_days(interactions) -> None:
    repeats = 0
    for contacts in _cases(interactions).values():
        assert len({item["customer"]["external_id"] for item in contacts}) == 1
        days = sorted({_parse_time(item["started_at"]).date() for item in contacts})
        if len(days) > 1:
            assert all(timedelta(days=1) <= b - a <= timedelta(days=6) for a, b in zip(days, days[1:]))
            repeats += 1
    assert repeats >= 10


def test_handoffs_to_another_agent_with_and_without_the_customer_repeating(interactions) -> None:
    with_repeat, without_repeat = 0, 0
    for contacts in _cases(interactions).values():
        for before, after in zip(contacts, contacts[1:]):
            gap = _parse_time(after["started_at"]) - _parse_time(before["ended_at"])
            if before["case"]["status"] == "pending" and gap <= timedelta(minutes=6):
                assert gap >= timedelta(0), "a hand-off starts after the transferred contact ends"
                assert after["agent"] != before["agent"]
                if _said(after, "customer.repeat_preface"):
                    with_repeat += 1
                else:
                    without_repeat += 1
    assert with_repeat and without_repeat


def test_surveys_on_about_a_third_and_follow_resolution(interactions) -> None:
    surveyed = [item for item in interactions if "survey" in item]
    assert 0.2 * len(interactions) < len(surveyed) < 0.4 * len(interactions)

    def mean_csat(status: str) -> float:
        scores = [item["survey"]["csat"] for item in surveyed if item["case"]["status"] == status]
        return sum(scores) / len(scores)

    assert mean_csat("resolved") > mean_csat("open") + 0.5
    assert any("comment" in item["survey"] for item in surveyed)


def test_contacts_of_one_case_cite_the_same_amount(interactions) -> None:
    amount = re.compile(r"\$\d+\.\d\d")
    checked = 0
    for contacts in _cases(interactions).values():
        cited = [set(amount.findall(_text(item))) for item in contacts if item.get("language") == "en"]
        cited = [found for found in cited if found]
        if len(cited) > 1:
            assert len(set.union(*cited)) == 1, cited
            checked += 1
    assert checked

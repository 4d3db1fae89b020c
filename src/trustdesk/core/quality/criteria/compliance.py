"""Ethics and compliance criteria (QA-2): what the privacy rules demand of the agent's conduct."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator
from importlib import resources

from trustdesk.core.model import IN_HOUSE_VENDOR, Interaction, Speaker
from trustdesk.core.quality.criteria.base import Criterion, Family
from trustdesk.core.quality.places import named_places, vendor_country_code
from trustdesk.core.quality.results import Assessment, Evidence, failed, not_applicable, passed
from trustdesk.core.quality.transcript import (
    TranscriptView,
    TurnView,
    phrase_matcher,
    quote_at,
    quote_turn,
    sentence_spans,
)

# The notice belongs at the start of the call: within the agent's first few turns (greeting, name, notice).
RECORDING_NOTICE_WITHIN_AGENT_TURNS = 3
# Labels whose repetition by the agent exposes the value to anyone listening (PCI DSS 3.3, national ids).
READBACK_LABELS = frozenset({"CARD", "CVV", "NATIONAL_ID"})
# Data labels the agent may "ask for" only after stating why; PERSON is excluded because asking
# "who am I speaking with?" is courtesy, not collection.
COLLECTED_LABELS = frozenset(
    {
        "NATIONAL_ID",
        "CARD",
        "CVV",
        "CARD_EXPIRY",
        "DATE_OF_BIRTH",
        "ADDRESS",
        "EMAIL",
        "PHONE",
        "ACCOUNT_NUMBER",
        "BANK_ACCOUNT",
        "IBAN",
        "HEALTH",
        "CARD_LAST_FOUR",
    }
)
# Request kinds that are not personal data: an order, tracking or booking number identifies a purchase, so
# asking for it needs no stated purpose and fits every case (hold-out v2 labelling guide).
NOT_PERSONAL_LABELS = frozenset({"ORDER_REFERENCE"})
# "Are you in India?", "sitzt ihr in Bulgarien?", "taga-cebu ka ba?": a question with a word for the agent and
# a named place at most this many words apart asks where the agent is, in any of the packs' languages.
ADDRESSEE_TO_PLACE_WORDS = 3
# A purpose without its own policy is held to the baseline every case has (identify and reach the
# customer): data minimisation means an unlisted purpose earns no national id, card or health data.
BASELINE_PURPOSE = "general"


@functools.cache
def allowed_labels_by_purpose() -> dict[str, frozenset[str]]:
    """Case purpose -> data labels it may ask for, from the shipped ``purposes.toml``."""
    text = resources.files("trustdesk.core.quality").joinpath("purposes.toml").read_text(encoding="utf-8")
    return {purpose: frozenset(labels) for purpose, labels in tomllib.loads(text)["purposes"].items()}


def assess_recording_disclosure(view: TranscriptView) -> Assessment:
    """Voice: the recording/monitoring notice appears within the agent's first turns, or the IVR gave it
    before them, and before the customer gave any personal data."""
    if view.is_written:
        return not_applicable(f"{view.channel.value} is a written channel; recording notices apply to calls")
    opening = view.agent_turns[:RECORDING_NOTICE_WITHIN_AGENT_TURNS]
    if not opening:
        return not_applicable("the agent did not speak")
    # "This call may be recorded…" from the phone system before the agent picks up informs the caller too.
    announced = [turn for turn in view.turns if turn.speaker is Speaker.SYSTEM and turn.index < opening[-1].index]
    # "Oh, and this call is recorded" after the date of birth was said informs too late to choose.
    data_given = next((turn for turn in view.customer_turns if turn.labels & COLLECTED_LABELS), None)
    for turn in (*announced, *opening):
        evidence = view.find("recording_notice", turn)
        if evidence and data_given is not None and data_given.index < turn.index:
            return failed([quote_turn(data_given), evidence],
                          "the recording notice came only after the customer gave personal data")
        if evidence:
            return passed([evidence])
    return failed(
        [quote_turn(turn) for turn in opening[:1]],
        f"no recording notice in the agent's first {len(opening)} turn(s)",
    )


def _sentences_besides_notice(view: TranscriptView, turn: TurnView) -> Iterator[tuple[int, str]]:
    """(start, folded text) of each sentence of ``turn`` but a recording notice: "recorded for security and
    training", "grabada por motivos de calidad" say why the call is recorded, not why data is asked."""
    may_notify = "recording_notice" in view.possible_lists(turn)
    for start, end in sentence_spans(turn.text):
        folded = turn.folded[start:end]
        if not (may_notify and view.matcher.find("recording_notice", folded)):
            yield start, folded


def _purpose_statement(view: TranscriptView, turn: TurnView) -> Evidence | None:
    """Evidence of a stock purpose or consent phrase in ``turn`` outside its recording notice."""
    found = view.find("purpose_statement", turn)  # memoised, and most turns hold none
    if found is None or "recording_notice" not in view.possible_lists(turn):
        return found
    for start, folded in _sentences_besides_notice(view, turn):
        match = view.matcher.find("purpose_statement", folded)
        if match:
            return quote_at(turn, start + match.start())
    return None


@functools.cache
def _any_purpose_clause(languages: tuple[str, ...]) -> re.Pattern[str]:
    """The languages' purpose-clause patterns as one alternation, each ``verb`` group numbered to keep names
    unique: one scan tells whether any matches, about twice as fast as a scan per pattern."""
    patterns = phrase_matcher(languages).patterns["purpose_clause"]
    return re.compile(
        "|".join(f"(?:{p.pattern.replace('(?P<verb>', f'(?P<verb{i}>')})" for i, p in enumerate(patterns))
    )


def _is_empty_purpose(view: TranscriptView, match: re.Match[str]) -> bool:
    verb = next((text for name, text in match.groupdict().items() if text and name.startswith("verb")), None)
    return verb is not None and view.matcher.is_whole("empty_purpose", verb)


def _purpose_clause(view: TranscriptView, turn: TurnView) -> Evidence | None:
    """Evidence of a purpose clause ("so I can open your bill") in ``turn`` outside its recording notice."""
    any_clause = _any_purpose_clause(view.matcher.languages)
    for start, folded in _sentences_besides_notice(view, turn):
        match = any_clause.search(folded)
        if match is None:
            continue
        if not _is_empty_purpose(view, match):
            return quote_at(turn, start + match.start())
        # The first clause is empty ("to continue"); another may start there or later, so ask each pattern.
        for pattern in view.matcher.patterns["purpose_clause"]:
            for match in pattern.finditer(folded):
                if not _is_empty_purpose(view, match):
                    return quote_at(turn, start + match.start())
    return None


def _request_message(view: TranscriptView, request: TurnView) -> list[TurnView]:
    """``request`` and the agent turns right before it with no other speaker between, nearest first."""
    message = [request]
    for turn in reversed(view.turns[: request.index]):
        if turn.speaker is not Speaker.AGENT:
            break
        message.append(turn)
    return message


def assess_consent_before_collection(view: TranscriptView) -> Assessment:
    """Personal data is asked for only after its purpose (or consent) was stated."""
    requests = [
        (turn, tuple(label for label in labels if label in COLLECTED_LABELS))
        for turn, labels in view.data_requests()
        if set(labels) & COLLECTED_LABELS
    ]
    if not requests:
        return not_applicable("the agent asked for no personal data")
    first_request, labels = requests[0]
    for turn in view.agent_turns:
        if turn.index > first_request.index:
            break
        evidence = _purpose_statement(view, turn)
        if evidence:
            same_turn = turn.index == first_request.index
            return passed([evidence] if same_turn else [evidence, quote_turn(first_request)])
    # Said with the request itself, a purpose takes any verb ("Pour la retrouver, …", "so I can open your
    # bill"); only there, because "I'm here to help" in a greeting explains no data request. A chat reply
    # sent as several messages is one ("To find your booking I'll need a few details." / "Your email?").
    for turn in _request_message(view, first_request):
        clause = _purpose_clause(view, turn)
        if clause:
            return passed([clause] if turn is first_request else [clause, quote_turn(first_request)])
    return failed(
        [quote_turn(first_request)], f"asked for {', '.join(labels)} before stating why it is needed"
    )


def assess_sensitive_readback(view: TranscriptView) -> Assessment:
    """The agent never repeats a full card number, CVV or national id."""
    offending = [turn for turn in view.agent_turns if turn.labels & READBACK_LABELS]
    if offending:
        labels = sorted(set().union(*(turn.labels & READBACK_LABELS for turn in offending)))
        return failed([quote_turn(turn) for turn in offending], f"agent repeated {', '.join(labels)}")
    return passed(reason="no agent turn contains a card number, CVV or national id")


def service_countries(interaction: Interaction) -> frozenset[str]:
    """Where the interaction's vendor works: the vendor registry's countries, or when the registry knows
    none, the country of a place its key names ("manila-bpo" -> PH); empty when neither tells."""
    if interaction.vendor_countries:
        return frozenset(interaction.vendor_countries)
    country = vendor_country_code(interaction.vendor)
    return frozenset({country}) if country else frozenset()


def _asks_who_or_where(view: TranscriptView, turn: TurnView) -> Evidence | None:
    """Evidence of ``turn`` asking where the agent is or whom they work for: a stock phrase or a "where" word
    near the addressee (``find_location_question``), or a question naming a place next to the addressee
    ("vcs tão em portugal?", "aap India mein ho?") or naming an outside company ("Acme o una empresa
    externa?", "ye Acme ka office hai ya outsourced?")."""
    found = view.find_location_question(turn)
    if found or "?" not in turn.text:
        return found
    possible = view.possible_lists(turn)
    names_outsider = "outside_party" in possible
    places = named_places(turn.folded) if "addressee" in possible else []
    if not (names_outsider or places):
        return None
    for start, end in sentence_spans(turn.text):
        folded = turn.folded[start:end]
        if "?" not in folded:
            continue
        if names_outsider and view.matcher.find("outside_party", folded):
            return quote_at(turn, start)
        in_sentence = [place.start - start for place in places if start <= place.start < end]
        if not in_sentence:
            continue
        for addressee in view.matcher.find_all("addressee", folded):
            for place in in_sentence:
                low, high = sorted((addressee.start(), place))
                if len(folded[low:high].split()) <= ADDRESSEE_TO_PLACE_WORDS:
                    return quote_at(turn, start)
    return None


def assess_outsourcing_disclosure(view: TranscriptView) -> Assessment:
    """When asked who or where they are, the agent answers truthfully (partner/location), not evasively."""
    turns = view.turns
    question, asked = next(
        ((t, e) for t in view.customer_turns if (e := _asks_who_or_where(view, t))), (None, None)
    )
    if question is None or asked is None:
        return not_applicable("the customer did not ask who or where they were talking to")
    answer = next((t for t in turns[question.index + 1 :] if t.speaker is Speaker.AGENT), None)
    if answer is None:
        return failed([asked], "the question got no answer")
    evasion = view.find("location_evasion", answer) or view.find("location_dodge", answer)
    if evasion:
        return failed([asked, evasion], "the agent evaded or denied where the service is provided from")
    countries = service_countries(view.interaction)
    named = named_places(answer.folded)
    if countries and named:
        true_places = [place for place in named if place.country in countries]
        if not true_places:
            claimed = ", ".join(answer.text[place.start : place.end] for place in named)
            return failed(
                [asked, quote_at(answer, named[0].start)],
                f"the agent named {claimed}, but vendor {view.interaction.vendor!r} "
                f"works from {', '.join(sorted(countries))}",
            )
        return passed([asked, quote_at(answer, true_places[0].start)])
    disclosure = view.find("location_disclosure", answer)
    if disclosure:
        return passed([asked, disclosure])
    if view.interaction.vendor == IN_HOUSE_VENDOR:
        return passed([asked, quote_turn(answer)], "in-house agent: nothing outsourced to disclose")
    return failed([asked, quote_turn(answer)], "the answer names neither the partner nor the location")


def assess_purpose_overreach(view: TranscriptView) -> Assessment:
    """The agent asks only for data the case's purpose needs (purposes.toml)."""
    purpose = view.interaction.case.purpose
    policies = allowed_labels_by_purpose()
    policy = purpose if purpose in policies else BASELINE_PURPOSE
    allowed = policies[policy]
    overreach: list[Evidence] = []
    labels: set[str] = set()
    for turn, asked in view.data_requests():
        extra = [label for label in asked if label not in allowed and label not in NOT_PERSONAL_LABELS]
        if extra:
            overreach.append(quote_turn(turn))
            labels.update(extra)
    judged_by = "" if policy == purpose else f" (no policy of its own; judged by the {policy!r} policy)"
    if overreach:
        return failed(overreach, f"{', '.join(sorted(labels))} not needed for purpose {purpose!r}{judged_by}")
    return passed(reason=f"every data request fits purpose {purpose!r}{judged_by}")


COMPLIANCE_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "recording_disclosure",
        Family.COMPLIANCE,
        "Recording/monitoring notice early in the call",
        assess_recording_disclosure,
    ),
    Criterion(
        "consent_before_collection",
        Family.COMPLIANCE,
        "Purpose or consent stated before asking for data",
        assess_consent_before_collection,
    ),
    Criterion(
        "sensitive_readback",
        Family.COMPLIANCE,
        "No card number, CVV or national id read back",
        assess_sensitive_readback,
    ),
    Criterion(
        "outsourcing_disclosure",
        Family.COMPLIANCE,
        "Truthful answer when asked who or where",
        assess_outsourcing_disclosure,
    ),
    Criterion(
        "purpose_overreach",
        Family.COMPLIANCE,
        "No data asked beyond the case's purpose",
        assess_purpose_overreach,
    ),
)

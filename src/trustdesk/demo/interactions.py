"""The demo's interactions: contact plans rendered into CONTRACTS.md section 1 dictionaries."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from random import Random

from trustdesk.core.model import Channel
from trustdesk.demo.operation import Operation
from trustdesk.demo.phrasebook import load_phrasebook
from trustdesk.demo.schedule import ENDING_STATUS, ContactPlanner
from trustdesk.demo.transcripts import ContactFacts, placeholder_values, render_transcript

SURVEY_SHARE = 0.3
_ID_PREFIX = {Channel.VOICE: "call", Channel.CHAT: "chat", Channel.EMAIL: "mail", Channel.SOCIAL: "post"}
_WRAP_SECONDS = {Channel.VOICE: (15, 120), Channel.CHAT: (10, 90), Channel.EMAIL: (30, 180), Channel.SOCIAL: (10, 60)}
# Share of text contacts sent without a language, so ingest has to detect it.
_UNLABELLED_LANGUAGE_SHARE = 0.03


def format_utc(moment: datetime) -> str:
    """ISO-8601 in UTC with a trailing Z, to the second."""
    return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def experience_of(facts: ContactFacts, rng: Random) -> float:
    """How the customer felt, 0 (awful) to 1 (delighted): resolution first, then how they were treated."""
    score = 0.35 + (0.35 if facts.resolved else -0.1)
    score += 0.15 if facts.empathic else 0.0
    score -= 0.15 if facts.scripted else 0.0
    score -= 0.2 if facts.customer_repeated else 0.0
    score -= 0.1 if facts.escalated else 0.0
    score += 0.05 if facts.closed_properly else -0.05
    return min(1.0, max(0.0, score + rng.gauss(0, 0.12)))


def draw_survey(facts: ContactFacts, language: str, rng: Random) -> dict:
    """A survey answer following the contact's experience, with a comment about half of the time."""
    experience = experience_of(facts, rng)
    csat = min(5, max(1, round(1 + 4 * experience + rng.gauss(0, 0.4))))
    nps = min(10, max(0, round(10 * experience + rng.gauss(0, 1.0))))
    survey: dict = {"csat": csat, "nps": nps}
    if rng.random() < 0.55:
        book = load_phrasebook(language)
        tone = "survey.positive" if csat >= 4 else "survey.neutral" if csat == 3 else "survey.negative"
        survey["comment"] = book.say(tone, rng, {})
    return survey


def iter_interactions(operation: Operation, seed: int) -> Iterator[dict]:
    """Every interaction of the operation in start-time order, as CONTRACTS.md section 1 dictionaries."""
    rng = Random(seed)
    plans = ContactPlanner(operation, rng).plan_all()
    brand_names = {brand.key: brand.name for brand in operation.brands}
    sites = {(vendor.key, site.name): site for vendor in operation.vendors for site in vendor.sites}
    for number, plan in enumerate(plans, start=1):
        site = sites[(plan.agent.vendor, plan.agent.site)]
        values = placeholder_values(plan, brand_names[plan.customer.brand], site.city, site.country, seed)
        transcript = render_transcript(plan, values, rng)
        ended_at = plan.started_at + timedelta(seconds=transcript.talk_seconds + transcript.hold_seconds)
        interaction: dict = {
            "external_id": f"{_ID_PREFIX[plan.channel]}-{number:06d}",
            "brand": plan.customer.brand,
            "vendor": plan.agent.vendor,
            "channel": plan.channel.value,
            "language": plan.language,
            "started_at": format_utc(plan.started_at),
            "ended_at": format_utc(ended_at),
            "hold_seconds": transcript.hold_seconds,
            "wrap_seconds": rng.randint(*_WRAP_SECONDS[plan.channel]),
            "customer": plan.customer.to_contract(),
            "agent": {"external_id": plan.agent.external_id},
            "case": {"external_id": plan.case_id, "purpose": plan.purpose, "priority": plan.priority.value,
                     "status": ENDING_STATUS[plan.ending].value},
            "turns": transcript.turns,
        }
        if plan.channel is not Channel.VOICE and rng.random() < _UNLABELLED_LANGUAGE_SHARE:
            del interaction["language"]
        if rng.random() < SURVEY_SHARE:
            interaction["survey"] = draw_survey(transcript.facts, plan.language, rng)
        yield interaction

"""Compose the labeled QA evaluation set from the hand-written snippets in ``snippets/<lang>.yaml``.

Each transcript is assembled from slots (opening, complaint, data request, card exchange, location
question, replies, resolution, closing) chosen with a seeded random generator. The labels follow from
which hand-written variant filled each slot (e.g. a ``request_without_purpose`` line means
consent_before_collection = fail), never from the scorer's phrase lists. Run:

    .venv/bin/python bench/qa_eval_set/compose.py   # rewrites bench/qa_eval_set/interactions.jsonl
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import yaml

HERE = Path(__file__).parent
LANGUAGES = ("en", "es", "fr", "de", "pt", "hi-Latn", "tl")
DECLARED = {"en": "en", "es": "es", "fr": "fr", "de": "de", "pt": "pt", "hi-Latn": "hi", "tl": "tl"}
PER_LANGUAGE = 32
CHANNELS = ("voice", "voice", "chat", "email", "social")
# The brand's data policy for these purposes, written independently of the scorer's purposes.toml.
ALLOWED = {
    "order_status": {"ACCOUNT_NUMBER", "EMAIL"},
    "billing": {"ACCOUNT_NUMBER", "EMAIL"},
    "technical_support": {"ACCOUNT_NUMBER", "EMAIL"},
    "account_access": {"ACCOUNT_NUMBER", "EMAIL", "DATE_OF_BIRTH"},
}
VENDORS = {
    "en": ("manila-bpo", "Manila"),
    "es": ("bogota-bpo", "Bogotá"),
    "fr": ("rabat-bpo", "Rabat"),
    "de": ("berlin-service", "Leipzig"),
    "pt": ("recife-bpo", "Recife"),
    "hi-Latn": ("pune-bpo", "Pune"),
    "tl": ("cebu-bpo", "Cebu"),
}
# Agents answering in English instead of the customer's language (only where that is a mismatch).
MISMATCH_LANGUAGES = ("es", "fr", "de", "pt")


def load_snippets() -> dict[str, dict]:
    return {
        lang: yaml.safe_load((HERE / "snippets" / f"{lang}.yaml").read_text(encoding="utf-8"))
        for lang in LANGUAGES
    }


def compose_one(rng: random.Random, lang: str, snippets: dict[str, dict], number: int) -> dict:
    native = snippets[lang]
    mismatch = lang in MISMATCH_LANGUAGES and rng.random() < 0.18
    agent = snippets["en"] if mismatch else native
    channel = CHANNELS[number % len(CHANNELS)]
    purpose = rng.choice(sorted(ALLOWED))
    in_house = rng.random() < 0.15
    vendor, city = ("in-house", "Chicago") if in_house else VENDORS[lang]
    labels: dict[str, str] = {}
    turns: list[tuple[str, str]] = []

    def say(speaker: str, text: str) -> None:
        turns.append((speaker, text))

    # Opening: greeting (or not), recording notice on calls (or not).
    has_greeting = rng.random() >= 0.2
    opening = rng.choice(native["greet_good"] if has_greeting else native["greet_bad"])
    labels["greeting"] = "pass" if has_greeting else "fail"
    # The first bare opener of every language ("Acme. Account number.") is itself a data request.
    opening_asks = opening == native["greet_bad"][0]
    if channel == "voice":
        has_notice = rng.random() >= 0.25
        if has_notice:
            opening = f"{opening} {rng.choice(native['recording'])}"
        labels["recording_disclosure"] = "pass" if has_notice else "fail"
    else:
        labels["recording_disclosure"] = "not_applicable"
    say("agent", opening)

    distressed = rng.random() < 0.5
    say("customer", rng.choice(native["distress"] if distressed else native["neutral"]))
    empathic = distressed and rng.random() < 0.65
    labels["empathy"] = ("pass" if empathic else "fail") if distressed else "not_applicable"
    empathy_prefix = f"{rng.choice(agent['empathy'])} " if empathic else ""

    # Data request: with or without stating why, for a kind the purpose may or may not need.
    requested = rng.random() < 0.8
    kind = None
    if requested:
        allowed = sorted(ALLOWED[purpose])
        kind = rng.choice(["NATIONAL_ID", "DATE_OF_BIRTH"]) if rng.random() < 0.2 else rng.choice(allowed)
        with_purpose = rng.random() < 0.6
        template = rng.choice(agent["request_with_purpose" if with_purpose else "request_without_purpose"])
        say("agent", empathy_prefix + template.format(kind=agent["kinds"][kind]))
        say("customer", rng.choice(native["give_data"]).format(placeholder=f"[{kind}]"))
        labels["consent_before_collection"] = "pass" if with_purpose and not opening_asks else "fail"
        labels["purpose_overreach"] = "pass" if kind in ALLOWED[purpose] else "fail"
        say("agent", rng.choice(agent["ack"]))
    else:
        say("agent", empathy_prefix + rng.choice(agent["ack"]))
        labels["consent_before_collection"] = "fail" if opening_asks else "not_applicable"
        labels["purpose_overreach"] = "pass"

    # The customer has to give the same thing again.
    repeated = requested and rng.random() < 0.2
    if repeated:
        if rng.random() < 0.5:
            say("customer", rng.choice(native["repeat_complaint"]).format(placeholder=f"[{kind}]"))
        else:
            say("agent", rng.choice(agent["reask"]).format(kind=agent["kinds"][kind]))
            say("customer", rng.choice(native["give_data"]).format(placeholder=f"[{kind}]"))
    labels["customer_repeat"] = "fail" if repeated else "pass"

    # The customer volunteers a card number; the agent repeats it, or does not need it.
    readback = False
    if rng.random() < 0.35:
        say("customer", rng.choice(native["card_give"]))
        readback = rng.random() < 0.45
        say("agent", rng.choice(agent["readback" if readback else "safe_card"]))
    labels["sensitive_readback"] = "fail" if readback else "pass"

    if rng.random() < 0.35:
        say("customer", rng.choice(native["location_q"]))
        truthful = rng.random() < 0.6
        say("agent", rng.choice(agent["truthful" if truthful else "evasive"]).format(city=city))
        labels["outsourcing_disclosure"] = "pass" if truthful else "fail"
    else:
        labels["outsourcing_disclosure"] = "not_applicable"

    scripted = rng.random() < 0.2
    if scripted:
        canned = rng.choice(agent["canned"])
        follow_ups = rng.sample(native["follow_up"], 2)
        say("customer", follow_ups[0])
        say("agent", canned)
        say("customer", follow_ups[1])
        say("agent", canned)
    else:
        say("agent", rng.choice(agent["specific"]))
        say("customer", rng.choice(native["specific_follow"]))
    labels["over_scripted"] = "fail" if scripted else "pass"

    outcome = rng.choices(["resolved", "next_step", "vague"], weights=[0.4, 0.35, 0.25])[0]
    rude = channel != "voice" and rng.random() < 0.15
    resolution = rng.choice(agent[outcome])
    say("agent", f"{rng.choice(agent['rude'])} {resolution}" if rude else resolution)
    labels["resolution"] = "fail" if outcome == "vague" else "pass"
    labels["tone"] = "not_applicable" if channel == "voice" else ("fail" if rude else "pass")
    say("customer", rng.choice(native["final_unhappy" if outcome == "vague" else "final_customer"]))

    closes = rng.random() >= 0.2
    say("agent", rng.choice(agent["closing_good" if closes else "closing_bad"]))
    labels["closing"] = "pass" if closes else "fail"
    labels["language_match"] = "fail" if mismatch else "pass"

    record = {
        "external_id": f"qa-{lang}-{number:03d}",
        "brand": "acme",
        "vendor": vendor,
        "channel": channel,
        "started_at": "2026-10-01T09:00:00Z",
        "ended_at": "2026-10-01T09:08:00Z",
        "customer": {"external_id": f"cust-{lang}-{number}"},
        "agent": {"external_id": f"agent-{lang}-{number % 5}"},
        "case": {"external_id": f"case-{lang}-{number}", "purpose": purpose},
        "turns": [{"speaker": s, "text": t} for s, t in turns],
        "labels": dict(sorted(labels.items())),
    }
    if rng.random() < 0.5:
        record["language"] = DECLARED[lang]
    return record


def compose_all(seed: int = 20261001) -> list[dict]:
    rng = random.Random(seed)
    snippets = load_snippets()
    return [compose_one(rng, lang, snippets, n) for lang in LANGUAGES for n in range(PER_LANGUAGE)]


if __name__ == "__main__":
    records = compose_all()
    with (HERE / "interactions.jsonl").open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} labeled interactions")

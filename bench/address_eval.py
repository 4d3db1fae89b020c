"""ADDRESS beyond ``pii_eval.py``: the best score one span per address can reach on presidio-synth-pii, and
every ADDRESS span found in the unlabelled shared data sets, to read for precision.

    .venv/bin/python bench/address_eval.py              # ceiling, then the spans with their context

The synthetic set cuts the addresses of some templates into pieces (building number, street, unit, postcode;
city and country as GPE) and keeps others whole. The ceiling joins each run of gold STREET_ADDRESS, GPE and
ZIP_CODE spans that only spaces, commas and quote marks separate into one span, as a detector that found
every address exactly would, and scores that against the gold with ``pii_eval``'s span and token scores.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pii_eval import DATA, SYNTH_PATH, Span, load_synth, score, score_tokens

from trustdesk.core.privacy.redaction import detect_entities

_BETWEEN_PIECES = re.compile(r"[\s,>?]*")


def whole_addresses(record: dict) -> list[Span]:
    """The gold addresses of one synthetic record, each joined into one span."""
    pieces = sorted(
        (s["start_position"], s["end_position"], s["entity_type"])
        for s in record["spans"]
        if s["entity_type"] in ("STREET_ADDRESS", "GPE", "ZIP_CODE")
    )
    text = record["full_text"]
    groups: list[list] = []
    for start, end, entity in pieces:
        if groups and _BETWEEN_PIECES.fullmatch(text, groups[-1][1], start):
            groups[-1][1] = end
            groups[-1][2] |= entity == "STREET_ADDRESS"
        else:
            groups.append([start, end, entity == "STREET_ADDRESS"])
    return [(start, end, "ADDRESS") for start, end, has_street in groups if has_street]


def print_ceiling() -> None:
    records = json.loads(SYNTH_PATH.read_text(encoding="utf-8"))
    samples = load_synth()
    predictions = [whole_addresses(record) for record in records]
    spans = score(samples, predictions, person_key=False)["ADDRESS"]
    tokens = score_tokens(samples, predictions, person_key=False)["ADDRESS"]
    print("== ADDRESS ceiling on presidio-synth-pii of a detector that finds every address as one span")
    print("span-level  P %.3f R %.3f F1 %.3f" % spans.scores()[:3])
    print("token-level P %.3f R %.3f F1 %.3f" % tokens.scores()[:3])


def shared_texts() -> Iterator[tuple[str, str]]:
    """(data set, text) for every turn or transcript of the unlabelled shared data sets."""
    with (DATA / "harper-valley-bank-subset" / "conversations.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            for segment in json.loads(line)["segments"]:
                for key in ("human_transcript", "transcript"):
                    if segment.get(key):
                        yield "harper-valley-bank-subset", segment[key]
    samples = DATA / "microsoft-contact-center-samples"
    for name in ("telecom_calls.jsonl", "telecom_stt_calls.jsonl"):
        with (samples / name).open(encoding="utf-8") as lines:
            for line in lines:
                yield "microsoft-contact-center-samples", json.loads(line)["Content"]
    for record in json.loads((samples / "it_helpdesk_calls_labeled.json").read_text(encoding="utf-8")):
        yield "microsoft-contact-center-samples", record["Content"]
    for conversation in json.loads((DATA / "abcd" / "abcd_sample.json").read_text(encoding="utf-8")):
        for _speaker, text in conversation["original"]:
            yield "abcd", text


def print_shared_spans() -> None:
    print("\n== every ADDRESS span in the unlabelled shared data (read them for precision)")
    texts: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for source, text in shared_texts():
        texts[source] += 1
        for entity in detect_entities(text):
            if entity.label == "ADDRESS":
                found[source] += 1
                context = text[max(0, entity.start - 40) : entity.end + 20]
                print(f"{source}: {text[entity.start : entity.end]!r}  in  {context!r}")
    for source in texts:
        print(f"{source}: {texts[source]} texts, {found[source]} ADDRESS spans")


if __name__ == "__main__":
    print_ceiling()
    print_shared_spans()

"""Redaction benchmark: per-label precision/recall/F1/F2, throughput, peak memory, linear time, vs Presidio.

    .venv/bin/python bench/pii_eval.py [--size 2000] [--seed 7] [--no-presidio]

Corpora: our seeded call-center corpus (``bench/pii_corpus.py``) and Presidio's own synthetic set
(``../shared/data/presidio-synth-pii/synth_dataset_v2.json``, labels mapped below). Two scores per label:
span-level, where a prediction matches a gold span when the labels agree and their overlap covers at least
half of each span (one-to-one, greedy); and token-level, the way presidio-research's evaluator scores, where
every word token (a run of letters and digits) takes the label of the span over it and tokens are counted.
The token score does not depend on how a value is cut into spans (one multi-line address or one span per
piece), which the synthetic set's templates do both ways. Throughput is measured on both corpora and on the
real contact-centre turns of the unlabelled shared data sets (speed only: they carry no labels).
Presidio runs in the same process on the same texts when ``presidio-analyzer`` is installed (the ``bench``
extra); no spaCy model can be downloaded here, so it runs with a blank English spaCy pipeline: its regex,
checksum and context recognizers work, its NER-based PERSON/LOCATION do not. That is stated in the output.
"""

from __future__ import annotations

import argparse
import bisect
import json
import logging
import re
import resource
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pii_corpus import Sample, generate_corpus

from trustdesk.core.privacy.redaction import detect_entities, prepare

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SYNTH_PATH = DATA / "presidio-synth-pii" / "synth_dataset_v2.json"
# Presidio-research label -> ours. Unmapped (GPE, ORGANIZATION, DATE_TIME, TITLE, AGE, NRP, ZIP_CODE,
# DOMAIN_NAME, US_DRIVER_LICENSE) are not personal-data labels of CONTRACTS.md section 2 and are not scored.
SYNTH_LABELS = {
    "PERSON": "PERSON",
    "STREET_ADDRESS": "ADDRESS",
    "CREDIT_CARD": "CARD",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "IBAN_CODE": "IBAN",
    "US_SSN": "NATIONAL_ID",
    "IP_ADDRESS": "IP_ADDRESS",
}
# Presidio analyzer entity -> ours.
PRESIDIO_LABELS = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "CARD",
    "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_SSN": "NATIONAL_ID",
    "UK_NHS": "NATIONAL_ID",
    "UK_NINO": "NATIONAL_ID",
    "ES_NIF": "NATIONAL_ID",
    "ES_NIE": "NATIONAL_ID",
    "IN_AADHAAR": "NATIONAL_ID",
    "IN_PAN": "NATIONAL_ID",
    "US_PASSPORT": "NATIONAL_ID",
    "US_BANK_NUMBER": "BANK_ACCOUNT",
    "MEDICAL_LICENSE": None,
    "DATE_TIME": None,
    "LOCATION": None,
    "URL": None,
    "NRP": None,
    "US_DRIVER_LICENSE": None,
    "US_ITIN": "NATIONAL_ID",
    "CRYPTO": None,
}

Span = tuple[int, int, str]
Detector = Callable[[Sample], list[Span]]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> tuple[float, float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f2 = 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0
        return precision, recall, f1, f2


def spans_match(gold: Span, predicted: Span) -> bool:
    overlap = min(gold[1], predicted[1]) - max(gold[0], predicted[0])
    return (
        gold[2] == predicted[2]
        and overlap > 0
        and overlap * 2 >= gold[1] - gold[0]
        and overlap * 2 >= predicted[1] - predicted[0]
    )


def score(samples: Iterable[Sample], predictions: list[list[Span]], *, person_key: bool) -> dict[str, Counts]:
    counts: dict[str, Counts] = defaultdict(Counts)
    for sample, predicted in zip(samples, predictions):
        unmatched = list(predicted)
        for gold in sample.spans:
            label = _row(gold[2], sample, person_key)
            hit = next((p for p in unmatched if spans_match(gold, p)), None)
            if hit is None:
                counts[label].fn += 1
            else:
                unmatched.remove(hit)
                counts[label].tp += 1
        for extra in unmatched:
            counts[_row(extra[2], sample, person_key)].fp += 1
    return counts


_WORD_TOKEN = re.compile(r"\w+")


def score_tokens(
    samples: Iterable[Sample], predictions: list[list[Span]], *, person_key: bool
) -> dict[str, Counts]:
    """Token-level counts: each word token is labelled by the span that overlaps it (or by none)."""
    counts: dict[str, Counts] = defaultdict(Counts)
    for sample, predicted in zip(samples, predictions):
        tokens = [(m.start(), m.end()) for m in _WORD_TOKEN.finditer(sample.text)]
        gold_labels = _token_labels(tokens, sample.spans)
        predicted_labels = _token_labels(tokens, predicted)
        for gold, guess in zip(gold_labels, predicted_labels):
            if gold is not None and gold == guess:
                counts[_row(gold, sample, person_key)].tp += 1
                continue
            if gold is not None:
                counts[_row(gold, sample, person_key)].fn += 1
            if guess is not None:
                counts[_row(guess, sample, person_key)].fp += 1
    return counts


def _token_labels(tokens: list[tuple[int, int]], spans: Iterable[Span]) -> list[str | None]:
    labels: list[str | None] = [None] * len(tokens)
    starts = [start for start, _end in tokens]
    for start, end, label in spans:
        index = max(0, bisect.bisect_right(starts, start) - 1)
        while index < len(tokens) and tokens[index][0] < end:
            if tokens[index][1] > start:
                labels[index] = label
            index += 1
    return labels


def _row(label: str, sample: Sample, person_key: bool) -> str:
    if label == "PERSON" and person_key:
        return "PERSON (record names)" if sample.known_names else "PERSON (free text)"
    return label


def ours(sample: Sample) -> list[Span]:
    return [
        (e.start, e.end, e.label)
        for e in detect_entities(sample.text, language=sample.language, known_names=sample.known_names)
    ]


def load_presidio() -> tuple[Detector | None, str]:
    try:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
    except ImportError:
        return None, "presidio-analyzer not installed (pip install '.[bench]')"

    class OfflineSpacyNlpEngine(SpacyNlpEngine):
        """Presidio's spaCy engine without its download-on-load step (no network here)."""

        @staticmethod
        def _download_spacy_model_if_needed(model_name: str) -> None:
            return None

    # Without network, tldextract logs a traceback per failed suffix-list download before using its snapshot.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    engine = OfflineSpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank:en"}])
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])

    def presidio(sample: Sample) -> list[Span]:
        found = analyzer.analyze(sample.text, language="en")
        spans = [(r.start, r.end, PRESIDIO_LABELS.get(r.entity_type)) for r in found]
        return _non_overlapping([(s, e, label) for s, e, label in spans if label])

    return (
        presidio,
        "presidio-analyzer with a blank spaCy 'en' pipeline (regex/checksum/context recognizers, no NER)",
    )


def _non_overlapping(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(span[1] <= k[0] or k[1] <= span[0] for k in kept):
            kept.append(span)
    return sorted(kept)


def load_synth() -> list[Sample]:
    records = json.loads(SYNTH_PATH.read_text(encoding="utf-8"))
    samples = []
    for number, record in enumerate(records):
        spans = [
            (s["start_position"], s["end_position"], SYNTH_LABELS[s["entity_type"]])
            for s in record["spans"]
            if s["entity_type"] in SYNTH_LABELS
        ]
        samples.append(Sample(f"synth{number}", record["full_text"], "en", "chat", (), spans))
    return samples


def run(detector: Detector, samples: list[Sample]) -> tuple[list[list[Span]], float]:
    started = time.perf_counter()
    predictions = [detector(sample) for sample in samples]
    return predictions, time.perf_counter() - started


def print_table(
    title: str,
    counts: dict[str, Counts],
    other: dict[str, Counts] | None,
    tokens: dict[str, Counts] | None = None,
) -> None:
    print(f"\n== {title}")
    if tokens is not None:
        print(
            "gold..F2 (and Presidio F1): span-level, half-overlap match; "
            "tokens..F1: token-level, word tokens (presidio-research style)"
        )
    header = f"{'label':24} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6} {'F2':>6}"
    if tokens is not None:
        header += f"   {'tokens':>6} {'P':>6} {'R':>6} {'F1':>6}"
    print(header + (f" {'Presidio F1':>12} {'ratio':>6}" if other is not None else ""))
    for label in sorted(counts.keys() | (tokens or {}).keys()):
        c = counts[label]
        p, r, f1, f2 = c.scores()
        line = f"{label:24} {c.tp + c.fn:5d} {p:6.3f} {r:6.3f} {f1:6.3f} {f2:6.3f}"
        if tokens is not None:
            t = tokens[label]
            tp, tr, tf1, _tf2 = t.scores()
            line += f"   {t.tp + t.fn:6d} {tp:6.3f} {tr:6.3f} {tf1:6.3f}"
        if other is not None:
            theirs = other.get(label)
            if theirs is not None and theirs.tp + theirs.fp > 0:
                their_f1 = theirs.scores()[2]
                ratio = f"{f1 / their_f1:6.2f}" if their_f1 else "   inf"
                line += f" {their_f1:12.3f} {ratio}"
            else:
                line += f" {'(no label)':>12}"
        print(line)


def print_throughput(name: str, samples: list[Sample], seconds: float) -> float:
    size = sum(len(sample.text.encode("utf-8")) for sample in samples)
    rate = len(samples) / seconds
    print(
        f"{name:10} {len(samples)} texts, {size / 1e6:.2f} MB in {seconds:.2f} s: "
        f"{rate:,.0f} texts/s, {size / 1e6 / seconds:.2f} MB/s (single process)"
    )
    return rate


# Turn boundaries of the Microsoft samples: "Agent (Ben): " opening a line of the telecom calls, "**Agent:**"
# or "**Chris:**" inside the one-line IT-helpdesk calls; lines holding only a timestamp ("00:00:07") are not turns.
_SPEAKER_LINE = re.compile(r"^(?:agent|customer)(?: \([^)]*\))?:\s*", re.IGNORECASE)
_SPEAKER_MARK = re.compile(r"\*\*[^*\n]{1,40}:\*\*")
_TIMESTAMP_LINE = re.compile(r"[\d:.]+")


def shared_turns() -> list[Sample]:
    """Every turn of the unlabelled real contact-centre data: Harper Valley segments (human and ASR
    transcripts), the Microsoft telecom and IT-helpdesk calls cut at their speaker marks, ABCD chat turns.
    The Microsoft speech-to-text calls carry no turn boundaries and are left out."""
    texts: list[str] = []
    with (DATA / "harper-valley-bank-subset" / "conversations.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            for segment in json.loads(line)["segments"]:
                texts.extend(segment[key] for key in ("human_transcript", "transcript") if segment.get(key))
    samples_dir = DATA / "microsoft-contact-center-samples"
    with (samples_dir / "telecom_calls.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            for text in json.loads(line)["Content"].splitlines():
                text = _SPEAKER_MARK.sub("", _SPEAKER_LINE.sub("", text.strip()), count=1).strip()
                if text and not _TIMESTAMP_LINE.fullmatch(text) and "Transcript Starting" not in text:
                    texts.append(text)
    for record in json.loads((samples_dir / "it_helpdesk_calls_labeled.json").read_text(encoding="utf-8")):
        texts.extend(piece.strip() for piece in _SPEAKER_MARK.split(record["Content"])[1:] if piece.strip())
    for conversation in json.loads((DATA / "abcd" / "abcd_sample.json").read_text(encoding="utf-8")):
        texts.extend(text for _speaker, text in conversation["original"])
    return [Sample(f"turn{number}", text, "en", "voice", (), []) for number, text in enumerate(texts)]


def print_turn_throughput(presidio: Detector | None) -> None:
    turns = shared_turns()
    print(f"\n== throughput on real contact-centre turns ({len(turns)} unlabelled turns of the shared data sets)")
    _predictions, our_seconds = run(ours, turns)
    our_rate = print_throughput("trustdesk", turns, our_seconds)
    if presidio is not None:
        _predictions, their_seconds = run(presidio, turns)
        their_rate = print_throughput("presidio", turns, their_seconds)
        print(f"texts/s ratio trustdesk / presidio: {our_rate / their_rate:.1f}x")


def measure_peak_memory(samples: list[Sample]) -> float:
    tracemalloc.start()
    for sample in samples:
        ours(sample)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def show_linear_time(samples: list[Sample]) -> None:
    print("\n== linear time: one text made of concatenated messages, doubling its size")
    pool = "\n".join(sample.text for sample in samples)
    adversarial = {
        "corpus text": lambda n: (pool * (n // len(pool) + 1))[:n],
        "digit groups '1 '": lambda n: ("1 " * n)[:n],
        "'a@' repeated": lambda n: ("a@" * n)[:n],
        "'my name is ' repeated": lambda n: ("my name is " * n)[:n],
    }
    for name, make in adversarial.items():
        previous = None
        cells = []
        for size in (25_000, 50_000, 100_000, 200_000):
            text = make(size)
            started = time.perf_counter()
            detect_entities(text)
            elapsed = time.perf_counter() - started
            cells.append(
                f"{size // 1000}k: {elapsed * 1000:7.1f} ms"
                + (f" (x{elapsed / previous:.2f})" if previous else "")
            )
            previous = elapsed
        print(f"  {name:24} " + "  ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-presidio", action="store_true")
    args = parser.parse_args()

    corpus = generate_corpus(args.size, seed=args.seed)
    presidio, presidio_note = (None, "skipped (--no-presidio)") if args.no_presidio else load_presidio()
    print(f"corpus: {len(corpus)} seeded messages (seed {args.seed}); Presidio: {presidio_note}")

    # Load word lists and compile patterns of every language before timing, on texts not in the corpus.
    prepare()
    for sample in generate_corpus(50, seed=args.seed + 1):
        ours(sample)
    our_predictions, our_seconds = run(ours, corpus)
    our_counts = score(corpus, our_predictions, person_key=True)
    their_counts = their_rate = None
    if presidio is not None:
        presidio(corpus[0])
        their_predictions, their_seconds = run(presidio, corpus)
        their_counts = score(corpus, their_predictions, person_key=True)
    our_tokens = score_tokens(corpus, our_predictions, person_key=True)
    print_table("our corpus (voice/chat/email, en es fr de pt)", our_counts, their_counts, our_tokens)

    print("\n== throughput on our corpus")
    our_rate = print_throughput("trustdesk", corpus, our_seconds)
    if presidio is not None:
        their_rate = print_throughput("presidio", corpus, their_seconds)
        print(f"texts/s ratio trustdesk / presidio: {our_rate / their_rate:.1f}x")
    print(
        f"peak traced memory during detection: {measure_peak_memory(corpus[:500]):.1f} MB; "
        f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )

    if SYNTH_PATH.exists():
        synth = load_synth()
        synth_predictions, synth_seconds = run(ours, synth)
        synth_counts = score(synth, synth_predictions, person_key=False)
        synth_theirs = None
        if presidio is not None:
            their_predictions, their_seconds = run(presidio, synth)
            synth_theirs = score(synth, their_predictions, person_key=False)
        print_table(
            f"presidio-research synth_dataset_v2 ({len(synth)} sentences; labels mapped)",
            synth_counts,
            synth_theirs,
            score_tokens(synth, synth_predictions, person_key=False),
        )
        our_rate = print_throughput("trustdesk", synth, synth_seconds)
        if presidio is not None:
            their_rate = print_throughput("presidio", synth, their_seconds)
            print(f"texts/s ratio trustdesk / presidio: {our_rate / their_rate:.1f}x")
        print_turn_throughput(presidio)
    else:
        print(f"\n(shared data not found at {SYNTH_PATH}; synth evaluation skipped)")

    show_linear_time(corpus)


if __name__ == "__main__":
    main()

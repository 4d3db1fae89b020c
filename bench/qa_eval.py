"""Evaluate the automatic QA scorer against the labeled set and measure its throughput.

    .venv/bin/python bench/qa_eval.py [--show-errors CRITERION] [--without-test]

Per criterion: agreement (share of interactions where the scorer's pass/fail/not_applicable equals the
label), Cohen's kappa, and precision/recall of "fail" (the finding a QA analyst acts on). Throughput:
interactions of exactly 20 turns scored per second in one process with the default scorecard.

Hold-out v2 is split in two fixed halves by transcript number (see ``split_holdout_v2``): DEV may be read
and its errors listed while the criteria are worked on; TEST stays blind, and so does hold-out v4 as a
whole. ``--show-errors`` never lists items of the blind sets, and ``--without-test`` leaves their blocks
out so that their figures are looked at only to measure a finished change.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

from trustdesk.contracts.interaction import InteractionIn
from trustdesk.core.model import Interaction, Speaker, Turn
from trustdesk.core.quality import default_scorecard, score_interaction
from trustdesk.core.quality.calibration import cohens_kappa

HERE = Path(__file__).parent
EVAL_SET = HERE / "qa_eval_set" / "interactions.jsonl"
# Hand-written whole transcripts with fresh wording, never used to tune the phrase packs.
HOLDOUT_SET = HERE / "qa_eval_set" / "holdout.jsonl"
# Second hold-out, one file per language, by an author who did not read the criteria code, the phrase packs
# or the other sets; labels follow a written guide (qa_eval_set/holdout_v2/README.md), not the scorer.
HOLDOUT_V2_DIR = HERE / "qa_eval_set" / "holdout_v2"
# Salt of the hash that deals hold-out v2 transcript numbers to DEV and TEST; changing it reshuffles the
# halves and makes every TEST item seen during development count as seen.
HOLDOUT_V2_SPLIT_SALT = "holdout_v2-split-1"
# Third set by a third blind author, weighted towards empathy and outsourcing questions in new wording; read
# while developing (labels from the v2 guide, qa_eval_set/holdout_v3/README.md).
HOLDOUT_V3_DIR = HERE / "qa_eval_set" / "holdout_v3"
# Fourth set by a fourth blind author, written after the v2 TEST half was read; blind as a whole (labels from
# the v2 guide and v3's decisions, qa_eval_set/holdout_v4/README.md).
HOLDOUT_V4_DIR = HERE / "qa_eval_set" / "holdout_v4"
COMPLIANCE = (
    "recording_disclosure",
    "consent_before_collection",
    "sensitive_readback",
    "outsourcing_disclosure",
    "purpose_overreach",
)
EXPERIENCE = (
    "greeting",
    "closing",
    "empathy",
    "customer_repeat",
    "over_scripted",
    "language_match",
    "resolution",
)
WRITTEN = ("tone",)
TARGETS = {**{c: 0.90 for c in COMPLIANCE}, **{c: 0.80 for c in EXPERIENCE + WRITTEN}}
THROUGHPUT_TURNS = 20
THROUGHPUT_ROUNDS = 10


def load_eval_set(path: Path = EVAL_SET) -> list[tuple[Interaction, dict[str, str]]]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        items.append((InteractionIn.model_validate(record).to_domain(), record["labels"]))
    return items


def transcript_number(interaction: Interaction) -> str:
    """The ``nn`` of a hold-out v2 id ``v2-<language>-<nn>``."""
    return interaction.external_id.rsplit("-", 1)[1]


def split_holdout_v2(
    items: list[tuple[Interaction, dict[str, str]]],
) -> tuple[list[tuple[Interaction, dict[str, str]]], list[tuple[Interaction, dict[str, str]]]]:
    """(DEV, TEST): the transcript numbers ranked by a salted hash, the first half DEV and the rest TEST.

    The split is by number rather than by whole id so that each language file is divided the same way
    (stratified: 15 DEV and 16 TEST of each language's 31) and so that same-numbered transcripts, which the
    author wrote as translations of one scenario (en-28 and es-28), never sit on both sides. A hash rather
    than the parity of the number, because the author may have alternated scenarios (pass, fail, …).
    """
    numbers = sorted(
        {transcript_number(interaction) for interaction, _ in items},
        key=lambda number: hashlib.sha256(f"{HOLDOUT_V2_SPLIT_SALT}:{number}".encode()).hexdigest(),
    )
    dev_numbers = set(numbers[: len(numbers) // 2])
    dev = [item for item in items if transcript_number(item[0]) in dev_numbers]
    test = [item for item in items if transcript_number(item[0]) not in dev_numbers]
    return dev, test


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def show(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.3f}"


def evaluate(items: list[tuple[Interaction, dict[str, str]]], show_errors: str | None) -> bool:
    predictions = [{c.id: c.result.value for c in score_interaction(i).criteria} for i, _ in items]
    languages = sorted({i.external_id.split("-", 2)[1] for i, _ in items})
    channels = sorted({i.channel.value for i, _ in items})
    print(
        f"evaluation set: {len(items)} interactions; "
        f"languages {', '.join(languages)}; channels {', '.join(channels)}"
    )
    print(
        f"{'criterion':28} {'n':>4} {'agree':>6} {'kappa':>6} {'fail P':>6} {'fail R':>6} {'target':>6}  met"
    )
    all_met = True
    for criterion in COMPLIANCE + EXPERIENCE + WRITTEN:
        gold = [labels[criterion] for _, labels in items]
        auto = [p[criterion] for p in predictions]
        agree = ratio(sum(g == a for g, a in zip(gold, auto)), len(gold))
        true_fail = sum(g == a == "fail" for g, a in zip(gold, auto))
        precision = ratio(true_fail, sum(a == "fail" for a in auto))
        recall = ratio(true_fail, sum(g == "fail" for g in gold))
        met = agree is not None and agree >= TARGETS[criterion]
        all_met &= met
        print(
            f"{criterion:28} {len(gold):4d} {show(agree)} {show(cohens_kappa(gold, auto))} {show(precision)} "
            f"{show(recall)} {TARGETS[criterion]:6.2f}  {'yes' if met else 'NO'}"
        )
        if criterion == show_errors:
            for (interaction, _), g, a in zip(items, gold, auto):
                if g != a:
                    print(f"    {interaction.external_id}: label {g}, scored {a}")
    return all_met


def pad_to_turns(interaction: Interaction, filler: tuple[Turn, ...], turns: int) -> Interaction:
    """The interaction with filler exchanges inserted before its last two turns, cut to exactly ``turns``."""
    body = list(interaction.turns)
    while len(body) < turns:
        body[-2:-2] = filler
    head = body[: turns - 2] + body[-2:]
    return dataclasses.replace(interaction, turns=tuple(head))


def measure_throughput(items: list[tuple[Interaction, dict[str, str]]]) -> float:
    filler = (
        Turn(Speaker.CUSTOMER, "Could you also check whether my loyalty points were added?"),
        Turn(Speaker.AGENT, "Yes, the points from your last purchase are on the account now."),
    )
    batch = [pad_to_turns(interaction, filler, THROUGHPUT_TURNS) for interaction, _ in items]
    assert all(len(i.turns) == THROUGHPUT_TURNS for i in batch)
    card = default_scorecard()
    for interaction in batch:  # warm-up: loads dictionaries and language models once
        score_interaction(interaction, card)
    # Per-round rates; the best round is the least disturbed by other processes on a shared machine.
    rates = []
    for _ in range(THROUGHPUT_ROUNDS):
        started = time.perf_counter()
        for interaction in batch:
            score_interaction(interaction, card)
        rates.append(len(batch) / (time.perf_counter() - started))
    best, median = max(rates), statistics.median(rates)
    print(
        f"throughput: {median:,.0f} interactions/s median, {best:,.0f} best, of {THROUGHPUT_TURNS} turns "
        f"({THROUGHPUT_ROUNDS} rounds of {len(batch)}, one process, target 500)"
    )
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--show-errors",
        metavar="CRITERION",
        help="list the disagreements for one criterion (never for the blind sets: hold-out v2 TEST, hold-out v4)",
    )
    parser.add_argument(
        "--without-test",
        action="store_true",
        help="leave out the blind sets, hold-out v2 TEST and hold-out v4 (while developing: look at them only to measure)",
    )
    arguments = parser.parse_args()
    items = load_eval_set()
    all_met = evaluate(items, arguments.show_errors)
    print("\nhold-out set (14 whole hand-written transcripts; read while the criteria were reworked):")
    holdout_met = evaluate(load_eval_set(HOLDOUT_SET), arguments.show_errors)
    holdout_v2 = [item for path in sorted(HOLDOUT_V2_DIR.glob("*.jsonl")) for item in load_eval_set(path)]
    holdout_v2_dev, holdout_v2_test = split_holdout_v2(holdout_v2)
    print("\nhold-out v2 dev (used for development; second author, labels from the written guide):")
    dev_met = evaluate(holdout_v2_dev, arguments.show_errors)
    holdout_v3 = [item for path in sorted(HOLDOUT_V3_DIR.glob("*.jsonl")) for item in load_eval_set(path)]
    v3_met = False
    if holdout_v3:
        print("\nhold-out v3 (used for development; third author, empathy and outsourcing weighted, v2 guide):")
        v3_met = evaluate(holdout_v3, arguments.show_errors)
    test_verdict = v4_verdict = "not run"
    if not arguments.without_test:
        print("\nhold-out v2 test (blind: never read, never tuned on; no per-item errors):")
        test_verdict = "yes" if evaluate(holdout_v2_test, show_errors=None) else "no"
        holdout_v4 = [item for path in sorted(HOLDOUT_V4_DIR.glob("*.jsonl")) for item in load_eval_set(path)]
        if holdout_v4:
            print("\nhold-out v4 (blind: fourth author, empathy weighted, v2 guide; no per-item errors):")
            v4_verdict = "yes" if evaluate(holdout_v4, show_errors=None) else "no"
    print()
    rate = measure_throughput(items)
    print(
        f"agreement targets met: composed set {'yes' if all_met else 'no'}, "
        f"hold-out {'yes' if holdout_met else 'no'}, hold-out v2 dev {'yes' if dev_met else 'no'}, "
        f"hold-out v3 {'yes' if v3_met else 'no'}, "
        f"hold-out v2 test {test_verdict}, hold-out v4 {v4_verdict}; "
        f"throughput target met: {'yes' if rate >= 500 else 'no'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

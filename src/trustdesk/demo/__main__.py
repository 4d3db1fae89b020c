"""Write the demo interactions as JSONL and report how long generation took.

    python -m trustdesk.demo --interactions 20000 --end 2026-11-20 --out demo.jsonl

Timing goes to stderr so the JSONL on stdout stays clean when no --out is given.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from datetime import date

from trustdesk.demo.interactions import iter_interactions
from trustdesk.demo.operation import build_operation


def main(argv: list[str] | None = None) -> int:
    """Generate the demo operation and write its interactions; prints counts and seconds to stderr."""
    parser = argparse.ArgumentParser(prog="python -m trustdesk.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end", type=date.fromisoformat, required=True, help="last day of the period, YYYY-MM-DD")
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--interactions", type=int, default=20_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--agents", type=int, default=60)
    parser.add_argument("--out", help="JSONL file to write; stdout when omitted")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    operation = build_operation(args.seed, end=args.end, days=args.days, interactions=args.interactions,
                                customers=args.customers, agents=args.agents)
    built = time.perf_counter()
    destination = open(args.out, "w", encoding="utf-8") if args.out else contextlib.nullcontext(sys.stdout)
    with destination as output:
        count = 0
        for interaction in iter_interactions(operation, args.seed):
            output.write(json.dumps(interaction, ensure_ascii=False) + "\n")
            count += 1
    finished = time.perf_counter()
    print(f"operation: {len(operation.agents)} agents, {len(operation.customers)} customers in "
          f"{built - began:.2f} s; {count} interactions in {finished - built:.2f} s "
          f"({count / (finished - built):.0f}/s, JSON writing included)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

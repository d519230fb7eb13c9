"""Print the passages of a real-text gold file (text rebuilt from ../shared/eval, never stored).

Run: python gold/real/show.py gold/real/passages-dev.jsonl [--from N] [--to M]
"""

from __future__ import annotations

import argparse
import json

from storyline.evaluate.realtext import passage_text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--from", dest="first", type=int, default=0)
    parser.add_argument("--to", dest="last", type=int, default=10**9)
    args = parser.parse_args()
    with open(args.file, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    for record in records[args.first:args.last]:
        print(f"=== {record['id']}  ({record['doc']})")
        print(passage_text(record))
        print()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Prints the plugin's result files (target/sark/<goal>.json) as one Markdown table, for a CI job summary.

Usage: scripts/result_summary.py FILE...   (e.g. */target/sark/cross-build.json >> "$GITHUB_STEP_SUMMARY")
"""
import json
import sys
from pathlib import Path


def size(n):
    return "-" if n is None else f"{n / 1024:.1f} KiB"


def main(paths):
    print("| module | goal | target | status | strategy | seconds | size | requires | compiled |")
    print("|---|---|---|---|---|---|---|---|---|")
    for path in paths:
        result = json.loads(Path(path).read_text())
        module = Path(path).resolve().parents[2].name  # MODULE/target/sark/GOAL.json
        for t in result["targets"]:
            compiled = ", ".join(t.get("compiled") or []) or "-"
            print(f"| {module} | {result['goal']} | {t['triple']} | {t['status']} | {t.get('tool', '-')} "
                  f"| {t.get('seconds', 0):.1f} | {size(t.get('size'))} | {t.get('requires') or '-'} | {compiled} |")
            if t.get("detail"):
                print(f"|  |  |  | {t['detail'].splitlines()[0]} |  |  |  |  |  |")


if __name__ == "__main__":
    main(sys.argv[1:])

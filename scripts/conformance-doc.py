#!/usr/bin/env python3
"""Copies the summary, failure reasons and per-directory table of the last OPA conformance run
(sark-opa-native/target/opa-conformance-report.md, written by OpaConformanceTest) into
docs/policy-engine.md, between the conformance markers. Run after:

  mvn -B -ntp -pl sark-opa-native -am -Dtest=OpaConformanceTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dinvoker.skip -Dsark.targets=x86_64-unknown-linux-gnu test
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
REPORT = ROOT / "sark-opa-native/target/opa-conformance-report.md"
DOC = ROOT / "docs/policy-engine.md"
BEGIN, END = "<!-- conformance:begin -->", "<!-- conformance:end -->"


def section(text, title):
    """The body of a '## title' section of the report."""
    match = re.search(r"^## " + re.escape(title) + r"\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if not match:
        sys.exit(f"{REPORT} has no '## {title}' section: run OpaConformanceTest first")
    return match.group(1).strip()


def main():
    if not REPORT.exists():
        sys.exit(f"no {REPORT}: run OpaConformanceTest first (see this script's doc)")
    report = REPORT.read_text(encoding="utf-8")
    summary = re.search(r"^\*\*(OPA .*?)\*\*$", report, re.M).group(1)
    trees = re.search(r"^\| tree \|.*?(?=\n\n)", report, re.S | re.M).group(0)
    generated = "\n".join([
        BEGIN,
        f"**{summary}**",
        "",
        trees,
        "",
        "Failure reasons:",
        "",
        section(report, "Failure reasons"),
        "",
        "<details><summary>Per directory (passed, failed, why)</summary>",
        "",
        section(report, "Per directory"),
        "",
        "</details>",
        END,
    ])
    doc = DOC.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        sys.exit(f"{DOC} has no {BEGIN} ... {END} markers")
    start, stop = doc.index(BEGIN), doc.index(END) + len(END)
    DOC.write_text(doc[:start] + generated + doc[stop:], encoding="utf-8")
    print(f"{DOC}: {summary}")


if __name__ == "__main__":
    main()

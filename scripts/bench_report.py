#!/usr/bin/env python3
"""Tables and ratios from scripts/bench.sh's results directory (JMH -rf json files plus the key=value text
of the heap, loader and plugin scripts). Prints Markdown. Usage: bench_report.py RESULTS_DIR"""
import json
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "sark-benchmarks/target/bench-results"
IMPLS = ["native-string", "native-bytes", "caffeine", "ohc", "chm"]
MIXES = ["readOnly", "readWrite", "writeOnly"]


def load(name):
    path = os.path.join(out, name)
    return json.load(open(path)) if os.path.exists(path) else []


def metric(entry):
    m = entry["primaryMetric"]
    p99 = (m.get("scorePercentiles") or {}).get("99.0") if entry["mode"] == "sample" else None
    return m["score"], m["scoreError"], p99


def fmt(x):
    if x is None or isinstance(x, str) or x != x:
        return "-"
    return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"


def text(name):
    path = os.path.join(out, name)
    return open(path).read().strip() if os.path.exists(path) else None


print("# Benchmark results\n")
machine = text("machine.txt")
if machine:
    print("```\n" + machine + "\n```\n")

floor = load("floor.json")
if floor:
    print("## Floors (JMH, 1 thread, ns/op; +- is JMH's 99.9% error)\n")
    print("| benchmark | size | ns/op | +- |")
    print("|---|---:|---:|---:|")
    for e in floor:
        s, err, _ = metric(e)
        print(f"| {e['benchmark'].rsplit('.', 1)[1]} | {e.get('params', {}).get('size', '-')} | {fmt(s)} | {fmt(err)} |")
    print()

checks = []
for t in (1, 2):
    data = load(f"cache-t{t}.json")
    if not data:
        continue
    res = {}
    for e in data:
        p = e["params"]
        res[(e["benchmark"].rsplit(".", 1)[1], int(p["valueSize"]), p["impl"])] = metric(e)
    print(f"## Cache, {t} thread(s): ns/op (lower is better) and ratios (NativeCache / reference; <1 = NativeCache faster)\n")
    print("| mix | value | native String | native byte[] | Caffeine | OHC | CHM | bytes/Caffeine | bytes/OHC | bytes/CHM | String/Caffeine | String/OHC |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for mix in MIXES:
        for vs in sorted({k[1] for k in res}):
            row = {i: res.get((mix, vs, i), (None, None, None))[0] for i in IMPLS}
            if all(v is None for v in row.values()):
                continue
            r = lambda a, b: f"{row[a] / row[b]:.2f}" if row[a] and row[b] else "-"
            print(f"| {mix} | {vs} | " + " | ".join(fmt(row[i]) for i in IMPLS) + " | "
                  + " | ".join([r("native-bytes", "caffeine"), r("native-bytes", "ohc"), r("native-bytes", "chm"),
                                r("native-string", "caffeine"), r("native-string", "ohc")]) + " |")
            if row["native-bytes"] and row["ohc"]:
                checks.append((f"ahead of OHC: {mix}, {vs} B, {t}T, byte[] API", row["native-bytes"] < row["ohc"],
                               f"{row['native-bytes'] / row['ohc']:.2f}x OHC"))
            if row["native-string"] and row["ohc"]:
                checks.append((f"ahead of OHC: {mix}, {vs} B, {t}T, String API", row["native-string"] < row["ohc"],
                               f"{row['native-string'] / row['ohc']:.2f}x OHC"))
            if vs == 512 and row["native-bytes"] and row["caffeine"]:
                checks.append((f"within 2x of Caffeine: {mix}, 512 B, {t}T, byte[] API",
                               row["native-bytes"] <= 2 * row["caffeine"], f"{row['native-bytes'] / row['caffeine']:.2f}x Caffeine"))
    print()

if checks:
    print("## Issue 6 cache targets\n")
    print("| target | met | measured |")
    print("|---|---|---|")
    for name, ok, val in checks:
        print(f"| {name} | {'yes' if ok else '**no**'} | {val} |")
    print()

for name, title in (("heap.txt", "Heap story"), ("loader.txt", "Loader"), ("plugin.txt", "Plugin no-op")):
    t = text(name)
    if t:
        print(f"## {title}\n\n```\n{t}\n```\n")

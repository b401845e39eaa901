#!/usr/bin/env python3
"""Tables and ratios from scripts/bench.sh's results directory (JMH -rf json files plus the key=value text
of the heap, loader and plugin scripts). Prints Markdown. Usage: bench_report.py RESULTS_DIR"""
import json
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "sark-benchmarks/target/bench-results"
IMPLS = ["native-string", "native-bytes", "native-buffer", "native-direct", "caffeine", "caffeine-own", "caffeine-copy", "ohc", "chm"]
MIXES = ["readOnly", "readWrite", "writeOnly"]


def print_targets(title, checks):
    """One table of (target, met, measured) rows; nothing when no benchmark produced any."""
    if not checks:
        return
    print(f"## {title}\n")
    print("| target | met | measured |")
    print("|---|---|---|")
    for name, ok, val in checks:
        print(f"| {name} | {'yes' if ok else '**no**'} | {val} |")
    print()


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

# Policy evaluation: PolicyEngine (JNI) against regorus in Rust, opa-java-wasm and OPA over HTTP.
POLICY_IMPLS = {"PolicyBenchmark.isAllowed": "sark", "OpaWasmBenchmark.evaluate": "wasm", "OpaHttpBenchmark.decide": "http"}
pol = {}  # (policy, size, threads, impl) -> {"ns": avgt ns/op, "err": error, "p99": sample p99}
for name in sorted(os.listdir(out)) if os.path.isdir(out) else []:
    if not (name.startswith("policy") and name.endswith(".json")):
        continue
    try:
        entries = load(name)
    except ValueError:  # a run still writing, or one that failed
        print(f"(skipped {name}: not a complete JMH JSON file)\n")
        continue
    for e in entries:
        impl = POLICY_IMPLS.get(".".join(e["benchmark"].rsplit(".", 2)[-2:]))
        if impl is None:
            continue
        p = e.get("params", {})
        key = (p["policy"], int(p["size"]), int(e["threads"]), impl)
        m = e["primaryMetric"]
        slot = pol.setdefault(key, {})
        if e["mode"] == "avgt":
            slot["ns"], slot["err"] = m["score"], m["scoreError"]
        elif e["mode"] == "sample":
            slot["p99"] = (m.get("scorePercentiles") or {}).get("99.0")
            slot.setdefault("ns", m["score"])  # sample mode's mean, when no avgt run
for line in (text("regorus.txt") or "").splitlines():
    if not line.startswith("regorus "):
        continue
    kv = dict(f.split("=", 1) for f in line.split()[1:])
    impl = "regorus" if kv["mode"] == "full" else "regorus-eval"
    pol[(kv["policy"], int(kv["size"]), int(kv["threads"]), impl)] = {"ns": float(kv["ns_op"]), "p99": float(kv["p99_ns"])}
floor_ns = {}
for e in floor:
    b = e["benchmark"].rsplit(".", 1)[1]
    if b in ("jniNoop", "jniEchoString"):
        floor_ns[(b, int(e.get("params", {}).get("size", 0)))] = metric(e)[0]
policy_checks = []
if pol:
    def cell(slot):
        if not slot or slot.get("ns") is None:
            return "-"
        return fmt(slot["ns"]) + (f" ({fmt(slot['p99'])})" if slot.get("p99") is not None else "")

    def ratio(a, b):
        return a / b if a and b else None

    print("## Policy evaluation: ns/op per thread (p99 in parentheses), query data.authz.allow\n")
    print("PolicyEngine = `isAllowed` through JNI; regorus = Rust, parse input + clone engine + eval_rule (the floor); "
          "regorus eval = Rust, pre-parsed input, no clone; wasm = opa-java-wasm 1.0.4 `evaluate`; "
          "HTTP = OPA server, POST /v1/data/authz/allow on 127.0.0.1. Ratios: <1 means PolicyEngine is faster, "
          "except HTTP/PE (how many times slower HTTP OPA is).\n")
    echo = any(k[0] == "jniEchoString" for k in floor_ns)
    print("| policy | input | threads | PolicyEngine | regorus | regorus eval | opa-java-wasm | HTTP OPA |"
          + (" JNI String echo |" if echo else "") + " PE/regorus | PE/wasm | HTTP/PE |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if echo else "") + "---:|---:|---:|")
    for policy in ("rbac", "abac"):
        for size in sorted({k[1] for k in pol if k[0] == policy}):
            for t in sorted({k[2] for k in pol if k[0] == policy and k[1] == size}):
                g = lambda impl: pol.get((policy, size, t, impl), {})
                sark, rg, wasm, http = g("sark").get("ns"), g("regorus").get("ns"), g("wasm").get("ns"), g("http").get("ns")
                r1, r2, r3 = ratio(sark, rg), ratio(sark, wasm), ratio(http, sark)
                f2 = lambda x: f"{x:.2f}" if x is not None else "-"
                print(f"| {policy} | {size} | {t} | {cell(g('sark'))} | {cell(g('regorus'))} | {cell(g('regorus-eval'))} | "
                      f"{cell(g('wasm'))} | {cell(g('http'))} |"
                      + (f" {fmt(floor_ns.get(('jniEchoString', size)))} |" if echo else "")
                      + f" {f2(r1)} | {f2(r2)} | {f2(r3)} |")
                where = f"{policy}, {size} B, {t}T"
                if size == 1024 and r1 is not None:
                    policy_checks.append((f"within 1.5x of regorus (1 KB): {where}", r1 <= 1.5, f"{r1:.2f}x regorus"))
                if r2 is not None:
                    policy_checks.append((f"faster than opa-java-wasm: {where}", r2 < 1, f"{r2:.2f}x wasm"))
                if r3 is not None:
                    policy_checks.append((f">= 20x faster than HTTP OPA: {where}", r3 >= 20, f"HTTP is {r3:.1f}x PolicyEngine"))
    if ("jniNoop", 0) in floor_ns:
        print(f"\nJNI no-op call (FloorBenchmark.jniNoop, same run): {fmt(floor_ns[('jniNoop', 0)])} ns.")
    print()
print_targets("Policy targets", policy_checks)

def cache_rounds(t):
    """Each configuration's score per round of the cache part, {(mix, value size, impl): {round: ns/op}}:
    cache-t{t}-r{N}.json, one per round, or cache-t{t}.json (round 1) as runs before rounds wrote it."""
    names = {}
    for name in os.listdir(out) if os.path.isdir(out) else []:
        prefix = f"cache-t{t}-r"
        if name.startswith(prefix) and name.endswith(".json") and name[len(prefix):-5].isdigit():
            names[int(name[len(prefix):-5])] = name
    scores = {}
    for r, name in sorted((names or {1: f"cache-t{t}.json"}).items()):
        for e in load(name):
            p = e["params"]
            scores.setdefault((e["benchmark"].rsplit(".", 1)[1], int(p["valueSize"]), p["impl"]), {})[r] = metric(e)[0]
    return scores


def median(values):
    s = sorted(values)
    return s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2


checks = []
for t in (1, 2):
    rounds = cache_rounds(t)
    if not rounds:
        continue
    res = {k: (median(v.values()), None, None) for k, v in rounds.items()}
    n = max(len(v) for v in rounds.values())
    print(f"## Cache, {t} thread(s): ns/op (lower is better) and ratios (NativeCache / reference; <1 = NativeCache faster)\n")
    if n > 1:
        print(f"Each ns/op is the median of {n} rounds (`CACHE_ROUNDS`); the ratios are of the medians.\n")
    print("| mix | value | native String | native byte[] | native buffer | native direct | Caffeine | Caffeine, own arrays | Caffeine + copy | OHC | CHM | bytes/Caffeine | bytes/(Caffeine + copy) | bytes/OHC | bytes/CHM | buffer/Caffeine | buffer/(Caffeine, own arrays) | buffer/OHC | direct/Caffeine | direct/(Caffeine, own arrays) | direct/OHC | String/Caffeine | String/OHC |")
    print("|---|" + "---:|" * 23)
    for mix in MIXES:
        for vs in sorted({k[1] for k in res}):
            row = {i: res.get((mix, vs, i), (None, None, None))[0] for i in IMPLS}
            if all(v is None for v in row.values()):
                continue
            r = lambda a, b: f"{row[a] / row[b]:.2f}" if row[a] and row[b] else "-"
            print(f"| {mix} | {vs} | " + " | ".join(fmt(row[i]) for i in IMPLS) + " | "
                  + " | ".join([r("native-bytes", "caffeine"), r("native-bytes", "caffeine-copy"), r("native-bytes", "ohc"), r("native-bytes", "chm"),
                                r("native-buffer", "caffeine"), r("native-buffer", "caffeine-own"), r("native-buffer", "ohc"),
                                r("native-direct", "caffeine"), r("native-direct", "caffeine-own"), r("native-direct", "ohc"),
                                r("native-string", "caffeine"), r("native-string", "ohc")]) + " |")
            if row["native-bytes"] and row["ohc"]:
                checks.append((f"ahead of OHC: {mix}, {vs} B, {t}T, byte[] API", row["native-bytes"] < row["ohc"],
                               f"{row['native-bytes'] / row['ohc']:.2f}x OHC"))
            if row["native-string"] and row["ohc"]:
                checks.append((f"ahead of OHC: {mix}, {vs} B, {t}T, String API", row["native-string"] < row["ohc"],
                               f"{row['native-string'] / row['ohc']:.2f}x OHC"))
            buffer_apis = (("native-buffer", "buffer read API, heap buffer"), ("native-direct", "buffer read API, direct buffer"))
            for impl, api in (("native-bytes", "byte[] API"),) + buffer_apis:
                if vs == 512 and row[impl] and row["caffeine"]:
                    ours, theirs = rounds.get((mix, vs, impl), {}), rounds.get((mix, vs, "caffeine"), {})
                    per_round = sorted(ours[r] / theirs[r] for r in ours.keys() & theirs.keys())
                    spread = f" (rounds: {per_round[0]:.2f}-{per_round[-1]:.2f}x)" if len(per_round) > 1 else ""
                    checks.append((f"within 2x of Caffeine: {mix}, 512 B, {t}T, {api}",
                                   row[impl] <= 2 * row["caffeine"], f"{row[impl] / row['caffeine']:.2f}x Caffeine{spread}"))
            for impl, api in buffer_apis:
                if row[impl] and row["ohc"]:
                    checks.append((f"ahead of OHC: {mix}, {vs} B, {t}T, {api}", row[impl] < row["ohc"],
                                   f"{row[impl] / row['ohc']:.2f}x OHC"))
    print()

print_targets("Cache targets", checks)

for name, title in (("heap.txt", "Heap use"), ("loader.txt", "Loader"), ("plugin.txt", "Plugin no-op"),
                    ("sizes.txt", "Library sizes, stripped, per target")):
    t = text(name)
    if t:
        print(f"## {title}\n\n```\n{t}\n```\n")

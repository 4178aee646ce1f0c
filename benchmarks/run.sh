#!/usr/bin/env bash
# Runs the Quire JMH benchmarks and prints each result beside its Caffeine baseline, Quire's JCache provider
# beside Caffeine's JCache adapter, Ehcache 3 and an embedded Hazelcast member (JCacheBench), and the floors under
# Quire's layers (FloorsBench: raw Caffeine, Kryo, MapDB, TCP and JGroups round trips) with Quire's distance to them,
# and two members in two JVMs (TwoNodeBench: two Quire nodes over JGroups beside two Hazelcast members).
#
#   benchmarks/run.sh [--quick | --long] [--rebuild] [JMH regexp ...]
#   benchmarks/run.sh --report RESULT.json ...
#
#   (default)  every benchmark, forks 1, warmup 2x1s, measurement 5x1s, and HeapPerEntry for the four providers:
#              about 30 minutes on 2 cores
#   --quick    the benchmarks behind every target of issue 7 and only the providers each target compares
#              (JCache get/put beside Caffeine and Ehcache, the TCP and JGroups floors, the two-JVM valid copy, read
#              miss, round trip, repeated writes and mix, larger-than-RAM get, Quire's get at 10^3 and 10^6 entries,
#              heap per entry of Quire and Hazelcast); forks 1, warmup 1x1s, measurement 3x1s: a few minutes
#   --long     every benchmark, forks 2, warmup 3x2s, measurement 5x2s: the numbers to quote (well over an hour)
#   --rebuild  rebuild benchmarks/target/benchmarks.jar even if it exists
#   regexps    run only the matching benchmarks (passed to JMH as include patterns), in one JMH invocation with the
#              mode's timing; 'JCacheBench' runs only the JCache comparison, 'JCacheBench|FloorsBench' it and its
#              floors, 'TwoNodeBench' the two-JVM comparison (each of its trials starts and kills a second JVM;
#              regexps that all name TwoNodeBench get its longer warmup, others the mode's timing)
#   --report   run nothing: print the table and ratios of earlier JMH JSON results (several files are merged, e.g.
#              two halves of a run; each ratio still compares two results of the same JMH invocation)
#
# Without regexps, WriteBench.writePersistent (an fsync per op) runs in a shorter JMH invocation of its own, and
# TwoNodeBench in one with 10 warmup iterations. The scale
# benchmarks (LargerThanRamBench, GrowthBench) get tables of their own; whenever GrowthBench is selected, HeapPerEntry
# then measures heap bytes per entry at 10^6 entries, one fresh JVM per provider.
# Results: benchmarks/target/jmh-result*.json (one per JMH invocation) and heap-per-entry.jsonl for the heap
# measurement; --report takes .jsonl files too.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

mode=full
rebuild=0
report=0
patterns=()
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --long) mode=long ;;
    --report) report=1 ;;
    --rebuild) rebuild=1 ;;
    -h|--help) sed -n '2,29p' "$here/run.sh" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
    *) patterns+=("$arg") ;;
  esac
done

if [[ "$report" == 1 ]]; then
  if [[ ${#patterns[@]} -eq 0 ]]; then
    echo "--report needs one or more JMH JSON result files" >&2
    exit 2
  fi
  result_files=("${patterns[@]}")
else

jar=benchmarks/target/benchmarks.jar
if [[ ! -f "$jar" || "$rebuild" == 1 ]]; then
  echo ">> building $jar"
  mvn -B -q -DskipTests -pl benchmarks -am package
fi

# TwoNodeBench gets more warmup in every mode: two JVMs and a JGroups stack each warm up slower than one JVM (a read
# miss is a few thousand operations a second, so the peer's methods take seconds to reach the JIT's thresholds): with
# 1-2 warmup seconds its read miss and writes were still falling from iteration to iteration (errors wider than the
# scores), and with 5 Quire's read miss still fell from 288 to 133 us over the measurement.
case "$mode" in
  quick)
    timing=(-f 1 -wi 1 -w 1s -i 3 -r 1s)
    twonode_timing=(-f 1 -wi 10 -w 1s -i 4 -r 1s)
    ;;
  full)
    timing=(-f 1 -wi 2 -w 1s -i 5 -r 1s)
    twonode_timing=(-f 1 -wi 10 -w 1s -i 5 -r 1s)
    fsync_timing=(-f 1 -wi 1 -w 1s -i 3 -r 1s)
    ;;
  long)
    timing=(-f 2 -wi 3 -w 2s -i 5 -r 2s)
    twonode_timing=(-f 2 -wi 6 -w 2s -i 5 -r 2s)
    fsync_timing=(-f 1 -wi 2 -w 2s -i 3 -r 2s)
    ;;
esac
# A fixed, pre-touched heap: on this kind of VM the first touch of a heap page costs a host page fault, and without
# AlwaysPreTouch allocation-heavy benchmarks measured 20-100x slower and wildly noisy (a 4 KiB Caffeine put at
# ~20 us instead of ~0.2 us). 2 GiB holds the 10^6-range directory and its baseline comfortably.
# The --add-modules/--add-exports/--add-opens are the ones Hazelcast asks for at start-up ("used to get the best
# performance results"), so its JCacheBench peer runs as its documentation says; the other benchmarks ignore them.
hazelcast_opens="--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED"
hazelcast_opens+=" --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
hazelcast_opens+=" --add-opens java.management/sun.management=ALL-UNNAMED"
hazelcast_opens+=" --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"
jvm=(-jvmArgsAppend "-Xms2g -Xmx2g -XX:+AlwaysPreTouch $hazelcast_opens")
# Process CPU time per op as a secondary result (cpu.time.norm): on a shared machine it moves far less with other
# people's load than wall-clock ns/op, so the JCache ratios are printed by both.
jvm+=(-prof io.quire.benchmarks.CpuTimeProfiler)

rm -f benchmarks/target/jmh-result*.json
result_files=()
start=$(date +%s)

# One JMH invocation; its JSON joins the report. $1 names the result file, the rest goes to JMH.
jmh() {
  local out="benchmarks/target/jmh-result$1.json"
  shift
  java -jar "$jar" "$@" "${jvm[@]}" -rf json -rff "$out"
  result_files+=("$out")
}

# Heap bytes per entry (HeapPerEntry) for the given providers: one fresh JVM each, the same heap as the forks; each
# appends one JSON line to $heap_result.
heap_result=benchmarks/target/heap-per-entry.jsonl
rm -f "$heap_result"
heap() {
  for provider in "$@"; do
    echo ">> heap bytes per entry: $provider"
    # shellcheck disable=SC2086 # the opens are separate arguments
    java -Xms2g -Xmx2g -XX:+AlwaysPreTouch $hazelcast_opens -cp "$jar" io.quire.benchmarks.HeapPerEntry \
      "$provider" "$heap_result" 2>&1 | grep -v -e '^SLF4J' -e 'com.hazelcast' -e '^WARNING' || true
  done
  result_files+=("$heap_result")
}

if [[ ${#patterns[@]} -gt 0 ]]; then
  pattern_timing=("${twonode_timing[@]}")
  for p in "${patterns[@]}"; do
    [[ "$p" == *TwoNodeBench* ]] || pattern_timing=("${timing[@]}")
  done
  jmh "" "${patterns[@]}" "${pattern_timing[@]}"
  for p in "${patterns[@]}"; do
    if echo "io.quire.benchmarks.GrowthBench.get" | grep -Eq -- "$p"; then
      heap quire ehcache caffeine hazelcast
      break
    fi
  done
elif [[ "$mode" == quick ]]; then
  # Every benchmark behind a target, and only what the target compares (JMH's -p applies to a whole invocation,
  # hence several).
  jmh "-quick-jcache" 'JCacheBench\.(getBytes|getItem|putBytes)$' 'FloorsBench\.(tcpRoundTrip|jgroupsRoundTrip)$' \
    -p provider=quire,caffeine,ehcache "${timing[@]}"
  jmh "-quick-twonode" 'TwoNodeBench\.(getValidCopy|getReadMiss|jgroupsRoundTrip|putSameKeysFromOneNode|mix90Get10Put)$' \
    "${twonode_timing[@]}"
  jmh "-quick-ltr" 'LargerThanRamBench\.get$' -p durability=volatile "${timing[@]}"
  jmh "-quick-growth" 'GrowthBench\.get$' -p provider=quire -p entries=1000,1000000 "${timing[@]}"
  heap quire hazelcast
else
  jmh "" -e 'WriteBench\.writePersistent|TwoNodeBench' "${timing[@]}"
  jmh "-twonode" 'TwoNodeBench' "${twonode_timing[@]}"
  jmh "-fsync" 'WriteBench\.writePersistent' "${fsync_timing[@]}"
  heap quire ehcache caffeine hazelcast
fi

elapsed=$(( $(date +%s) - start ))
echo
echo ">> $mode mode took ${elapsed}s; results in ${result_files[*]}"
fi

if ! command -v python3 >/dev/null 2>&1; then
  echo ">> python3 not found: see the JMH summary above for the numbers (ratios not computed)"
  exit 0
fi

python3 - "${result_files[@]}" <<'PY'
import json, os, sys

rows = []
heap_rows = []  # HeapPerEntry's JSON lines (*.jsonl), one per provider
for path in sys.argv[1:]:
    if os.path.exists(path):
        with open(path) as f:
            if path.endswith(".jsonl"):
                heap_rows += [json.loads(line) for line in f if line.strip()]
            else:
                rows += json.load(f)
if not rows and not heap_rows:
    print(">> no results to report")
    sys.exit(0)

def key(r):
    cls, method = r["benchmark"].rsplit(".", 2)[-2:]
    return cls, method, tuple(sorted(r.get("params", {}).items()))

def score_of(m):
    try:
        err = float(m["scoreError"])  # "NaN" when there was a single iteration
    except (TypeError, ValueError):
        err = float("nan")
    return (float(m["score"]), err, m["scoreUnit"])

results = {}
cpu_results = {}  # CpuTimeProfiler's cpu.time.norm, when it ran
for r in rows:
    results[key(r)] = score_of(r["primaryMetric"])
    cpu = r.get("secondaryMetrics", {}).get("cpu.time.norm")
    if cpu is not None:
        cpu_results[key(r)] = score_of(cpu)

def fmt_params(params):
    return ",".join(f"{k}={v}" for k, v in params) or "-"

print()
print(f"{'benchmark':<44} {'params':<26} {'score':>14} {'error':>12}  unit")
for (cls, method, params), (score, err, unit) in sorted(results.items()):
    err_s = "" if err != err else f"±{err:.1f}"  # NaN error with a single iteration
    print(f"{cls + '.' + method:<44} {fmt_params(params):<26} {score:>14.1f} {err_s:>12}  {unit}")

def score(cls, method, **params):
    want = tuple(sorted((k, str(v)) for k, v in params.items()))
    hit = results.get((cls, method, want))
    return hit[0] if hit else None

checks = []
printed_header = []
def ratio(label, num, den, target=None):
    if num is None or den is None:
        return
    if not printed_header:
        print()
        print("Ratios (lower is better)")
        printed_header.append(True)
    r = num / den
    verdict = ""
    if target is not None:
        ok = r <= target
        verdict = f"  target <= {target}x: {'MET' if ok else 'MISSED'}"
        checks.append((label, ok))
    print(f"  {label:<62} {r:>8.2f}x{verdict}")

base = lambda cls, **p: score(cls, "caffeineGetIfPresent", **p)
ratio("PageRead memoryReadRamTier / caffeineGetIfPresent",
      score("PageReadBench", "memoryReadRamTier"), base("PageReadBench"), 2.0)
ratio("PageRead ramTierStoreRead / caffeineGetIfPresent",
      score("PageReadBench", "ramTierStoreRead"), base("PageReadBench"))
ratio("PageRead memoryReadRamTier / ramTierStoreRead (memory-API overhead)",
      score("PageReadBench", "memoryReadRamTier"), score("PageReadBench", "ramTierStoreRead"))
ratio("DiskRead memoryReadFromDisk / caffeineGetIfPresent",
      score("DiskReadBench", "memoryReadFromDisk"), base("DiskReadBench"))
for m in ("writeVolatile", "updateVolatile", "writePersistent"):
    ratio(f"Write {m} / caffeineGetIfPresent", score("WriteBench", m), base("WriteBench"))
    ratio(f"Write {m} / caffeinePut", score("WriteBench", m), score("WriteBench", "caffeinePut"))
for io in ("ramTier", "map"):
    for n in (1000, 1000000):
        ratio(f"Directory lookup[io={io},ranges={n}] / caffeineGetIfPresent[ranges={n}]",
              score("DirectoryLookupBench", "lookup", io=io, ranges=n), base("DirectoryLookupBench", ranges=n))
    ratio(f"Directory lookup[io={io}] ranges 10^6 / 10^3",
          score("DirectoryLookupBench", "lookup", io=io, ranges=1000000),
          score("DirectoryLookupBench", "lookup", io=io, ranges=1000), 2.0)
ratio("Directory caffeineGetIfPresent ranges 10^6 / 10^3 (reference)",
      base("DirectoryLookupBench", ranges=1000000), base("DirectoryLookupBench", ranges=1000))

# Tables are printed with markdown pipes, so they paste into the README as they are.
def md_table(title, head, rows_out):
    if not rows_out:
        return
    print()
    print(title)
    print()
    widths = [max(len(str(r[i])) for r in [head] + rows_out) for i in range(len(head))]
    line = lambda r: "| " + " | ".join(str(v).ljust(w) for v, w in zip(r, widths)) + " |"
    print(line(head))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows_out:
        print(line(r))

# JCacheBench: the same methods once per provider. Quire's speed as a multiple of a peer's is peer ns/op divided by
# Quire ns/op, so here higher is better, and a target "Quire >= Nx peer" is met when that multiple is at least N.
JCACHE_TARGETS = {  # method -> {peer: minimum multiple}
    "getBytes": {"caffeine": 0.5, "ehcache": 2.0},  # issue 7: ">= 0.5x Caffeine's adapter, >= 2x Ehcache heap"
    "getItem": {"caffeine": 10.0, "ehcache": 10.0},
    "putBytes": {"ehcache": 1.0},
}
jcache_methods = ["getBytes", "getItem", "putBytes", "putItem", "getAndPutBytes", "replaceBytes", "invokeIncrement",
                  "mixBytes90Get10Put", "getItemByReference"]
jcache_methods += sorted({m for (c, m, _) in results if c == "JCacheBench"} - set(jcache_methods))

JCACHE_PEERS = [("caffeine", "Caffeine"), ("ehcache", "Ehcache"), ("hazelcast", "Hazelcast")]

def jcache_table(source, title, check):
    rows_out = []
    for m in jcache_methods:
        def ns(p):
            hit = source.get(("JCacheBench", m, (("provider", p),)))
            return hit
        quire = ns("quire")
        if quire is None:
            continue
        cells = []
        for peer, _ in JCACHE_PEERS:
            hit = ns(peer)
            if hit is None:
                cells.append("-")
                continue
            multiple = hit[0] / quire[0]
            target = JCACHE_TARGETS.get(m, {}).get(peer)
            cell = f"{multiple:.2f}x"
            if target is not None:
                ok = multiple >= target
                cell += f" (>= {target:g}x: {'MET' if ok else 'MISSED'})"
                if check:
                    checks.append((f"JCache {m} Quire vs {peer} >= {target:g}x", ok))
            cells.append(cell)
        def fmt(hit):
            if hit is None:
                return "-"
            return f"{hit[0]:.0f}" + ("" if hit[1] != hit[1] else f" ±{hit[1]:.0f}")  # no error with one iteration
        rows_out.append([m, fmt(quire)] + [fmt(ns(peer)) for peer, _ in JCACHE_PEERS] + cells)
    md_table(title, ["benchmark", "Quire ns/op"] + [f"{name} ns/op" for _, name in JCACHE_PEERS]
             + [f"Quire vs {name}" for _, name in JCACHE_PEERS], rows_out)

jcache_table(results, "JCache, wall clock: Quire's speed as a multiple of each peer's "
             "(peer ns/op / Quire ns/op; higher is better)", True)
jcache_table(cpu_results, "JCache, process CPU time per op (cpu.time.norm; the same multiples, less sensitive to "
             "other load; not a target)", False)

# FloorsBench: what Quire's operations are built from, measured raw in the same JMH run. Each line is a ratio of two
# results of that run, by wall clock and by process CPU time per op (lower is better: how far above its floor).
def pick(source, cls, method, **params):
    want = tuple(sorted((k, str(v)) for k, v in params.items()))
    hit = source.get((cls, method, want))
    return hit[0] if hit else None

floor_lines = []
def floor(label, num, den):
    """num and den are (cls, method, params) triples."""
    wall = [pick(results, c, m, **p) for c, m, p in (num, den)]
    cpu = [pick(cpu_results, c, m, **p) for c, m, p in (num, den)]
    if None in wall:
        return
    line = f"  {label:<78} {wall[0] / wall[1]:>8.2f}x"
    if None not in cpu:
        line += f"  (CPU/op {cpu[0] / cpu[1]:.2f}x)"
    floor_lines.append(line)

floor_rows = sorted((k, v) for k, v in results.items() if k[0] == "FloorsBench")
if floor_rows:
    print()
    print("Floors (FloorsBench), wall clock and process CPU time per op")
    print()
    for (cls, method, params), (score, err, unit) in floor_rows:
        err_s = "" if err != err else f" ±{err:.0f}"
        cpu = cpu_results.get((cls, method, params))
        cpu_s = "-" if cpu is None else f"{cpu[0]:.0f}"
        print(f"  {method + ('[' + fmt_params(params) + ']' if params else ''):<44} {score:>12.0f}{err_s:<10} "
              f"{unit:<6} CPU/op {cpu_s} ns")
F = "FloorsBench"
for size in (64, 4096):
    rb = {"responseBytes": size}
    floor(f"JGroupsTransport round trip / TCP round trip [{size} B response]",
          (F, "jgroupsRoundTrip", rb), (F, "tcpRoundTrip", rb))
    floor(f"raw JChannel round trip / TCP round trip [{size} B response]",
          (F, "jchannelRoundTrip", rb), (F, "tcpRoundTrip", rb))
    floor(f"JGroupsTransport / raw JChannel round trip (the transport's layers) [{size} B]",
          (F, "jgroupsRoundTrip", rb), (F, "jchannelRoundTrip", rb))
for provider, _name in [("quire", "Quire")] + JCACHE_PEERS:
    floor(f"JCache getBytes[{provider}] / raw Caffeine get", ("JCacheBench", "getBytes", {"provider": provider}),
          (F, "caffeineGet", {}))
floor("JCache getItem[quire] / Kryo round trip of the Item (Quire's serializer)",
      ("JCacheBench", "getItem", {"provider": "quire"}), (F, "kryoRoundTripItem", {}))
floor("JCache putItem[quire] / Kryo round trip of the Item (Quire's serializer)",
      ("JCacheBench", "putItem", {"provider": "quire"}), (F, "kryoRoundTripItem", {}))
floor("Kryo round trip by name / with Item registered", (F, "kryoRoundTripItem", {}),
      (F, "kryoRoundTripItemRegistered", {}))
floor("DiskRead memoryReadFromDisk / MapDB page-file get", ("DiskReadBench", "memoryReadFromDisk", {}),
      (F, "mapdbPageGet", {}))
floor("MapDB page-file get / MapDB HTreeMap get", (F, "mapdbPageGet", {}), (F, "mapdbHTreeGet", {}))
if floor_lines:
    print()
    print("Distance to the floors, same run (lower is better)")
    for line in floor_lines:
        print(line)
    print("  (the cluster read miss against the JGroups round trip: TwoNodeBench, two JVMs)")

# TwoNodeBench: two members in two JVMs, measured from one; Quire's speed as a multiple of Hazelcast's (Hazelcast
# ns/op / Quire ns/op, higher is better) per scenario, and the read miss against the two-JVM JGroups round trip of
# the same run (lower is better). Wall clock only: cpu.time.norm counts this JVM, not the peer's.
TWO_NODE_TARGETS = {  # method -> (Hazelcast method it is compared with, minimum multiple)
    "getValidCopy": ("getValidCopy", 100.0),
    "getReadMiss": ("getReadMiss", 1.0),
    "putSameKeysFromOneNode": ("putSameKeysFromOneNode", 1.5),
    "mix90Get10Put": ("mix90Get10Put", 5.0),
}
two_node_methods = ["getValidCopy", "getReadMiss", "put", "invoke", "putSameKeysFromOneNode", "mix90Get10Put"]
two_rows = []
for m in two_node_methods:
    quire = results.get(("TwoNodeBench", m, (("provider", "quire"),)))
    peer_method, target = TWO_NODE_TARGETS.get(m, (m, None))
    hz = results.get(("TwoNodeBench", peer_method, (("provider", "hazelcast"),)))
    if quire is None and hz is None:
        continue
    fmt = lambda hit: "-" if hit is None else f"{hit[0]:.0f}" + ("" if hit[1] != hit[1] else f" ±{hit[1]:.0f}")
    cell = "-"
    if quire is not None and hz is not None:
        multiple = hz[0] / quire[0]
        cell = f"{multiple:.2f}x" if multiple >= 0.1 else f"{multiple:.3f}x"  # 0.004x, not 0.00x
        if target is not None:
            ok = multiple >= target
            cell += f" (>= {target:g}x: {'MET' if ok else 'MISSED'})"
            checks.append((f"TwoNode {m} Quire vs Hazelcast >= {target:g}x", ok))
    two_rows.append([m, fmt(quire), fmt(hz), cell])
if two_rows:
    md_table("Two JVMs (TwoNodeBench), wall clock: Quire's speed as a multiple of Hazelcast's "
             "(Hazelcast ns/op / Quire ns/op; higher is better)",
             ["benchmark", "Quire ns/op", "Hazelcast ns/op", "Quire vs Hazelcast"], two_rows)
    rt = results.get(("TwoNodeBench", "jgroupsRoundTrip", ()))
    miss = results.get(("TwoNodeBench", "getReadMiss", (("provider", "quire"),)))
    if rt is not None:
        print()
        print(f"  two-JVM JGroupsTransport round trip (64 B request, 4096 B response): {rt[0]:.0f} ns/op")
        if miss is not None:
            r = miss[0] / rt[0]
            ok = r <= 1.2
            checks.append(("TwoNode getReadMiss[quire] <= 1.2x the JGroups round trip", ok))
            print(f"  Quire getReadMiss / JGroups round trip: {r:.2f}x  target <= 1.2x: {'MET' if ok else 'MISSED'}")

def ns_cell(hit):
    if hit is None:
        return "-"
    return f"{hit[0]:.0f}" + ("" if hit[1] != hit[1] else f" ±{hit[1]:.0f}")

# LargerThanRamBench: Quire's speed as a multiple of Ehcache's (Ehcache ns/op / Quire ns/op; higher is better).
LTR_TARGETS = {("volatile", "get"): 10.0}  # "get >= 10x Ehcache heap + disk"
ltr_rows = []
for durability in ("volatile", "persistent"):
    for m in ("get", "put"):
        q = results.get(("LargerThanRamBench", m, (("durability", durability), ("provider", "quire"))))
        e = results.get(("LargerThanRamBench", m, (("durability", durability), ("provider", "ehcache"))))
        if q is None and e is None:
            continue
        cell = "-"
        if q is not None and e is not None:
            multiple = e[0] / q[0]
            cell = f"{multiple:.2f}x"
            target = LTR_TARGETS.get((durability, m))
            if target is not None:
                ok = multiple >= target
                cell += f" (>= {target:g}x: {'MET' if ok else 'MISSED'})"
                checks.append((f"LargerThanRam {m}[{durability}] Quire vs Ehcache >= {target:g}x", ok))
        ltr_rows.append([f"{m} [{durability}]", ns_cell(q), ns_cell(e), cell])
md_table("Larger than RAM (100,000 x 1 KiB, RAM tier a tenth): Quire's speed as a multiple of Ehcache heap + disk "
         "(Ehcache ns/op / Quire ns/op; higher is better)",
         ["benchmark", "Quire ns/op", "Ehcache ns/op", "Quire vs Ehcache"], ltr_rows)

# GrowthBench: each provider's op at 10^6 entries over the same op at 10^3 (lower is better; Quire's get <= 1.5x).
GROWTH_SIZES = ("1000", "100000", "1000000")
growth_rows = []
for m in ("get", "put"):
    for provider in ("quire", "ehcache", "caffeine", "hazelcast"):
        hits = [results.get(("GrowthBench", m, (("entries", n), ("provider", provider)))) for n in GROWTH_SIZES]
        if all(h is None for h in hits):
            continue
        cell = "-"
        if hits[0] is not None and hits[2] is not None:
            r = hits[2][0] / hits[0][0]
            cell = f"{r:.2f}x"
            if m == "get" and provider == "quire":
                ok = r <= 1.5
                cell += f" (<= 1.5x: {'MET' if ok else 'MISSED'})"
                checks.append(("Growth get[quire] 10^6 / 10^3 <= 1.5x", ok))
        growth_rows.append([m, provider] + [ns_cell(h) for h in hits] + [cell])
md_table("Growth: ns/op at 10^3, 10^5 and 10^6 entries (100-byte values), and 10^6 over 10^3 (lower is better)",
         ["op", "provider", "10^3 ns/op", "10^5 ns/op", "10^6 ns/op", "10^6 / 10^3"], growth_rows)
growth_vs = []
for m in ("get", "put"):
    for n in GROWTH_SIZES:
        q = results.get(("GrowthBench", m, (("entries", n), ("provider", "quire"))))
        if q is None:
            continue
        cells = []
        for peer in ("ehcache", "caffeine", "hazelcast"):
            h = results.get(("GrowthBench", m, (("entries", n), ("provider", peer))))
            cells.append("-" if h is None else f"{h[0] / q[0]:.2f}x")
        growth_vs.append([m, n] + cells)
md_table("Growth: Quire's speed as a multiple of each peer's, same entries (peer ns/op / Quire ns/op)",
         ["op", "entries", "vs Ehcache", "vs Caffeine", "vs Hazelcast"], growth_vs)

# HeapPerEntry: heap growth per entry after a forced GC, 10^6 entries, one fresh JVM per provider.
if heap_rows:
    by_provider = {r["provider"]: r for r in heap_rows}
    hz = by_provider.get("hazelcast")
    heap_out = []
    for provider in ("quire", "ehcache", "caffeine", "hazelcast"):
        r = by_provider.get(provider)
        if r is None:
            continue
        vs = "-"
        if hz is not None and provider != "hazelcast":
            vs = f"{r['bytesPerEntry'] / hz['bytesPerEntry']:.2f}x"
            if provider == "quire":
                ok = r["bytesPerEntry"] <= hz["bytesPerEntry"]
                vs += f" (<= 1x: {'MET' if ok else 'MISSED'})"
                checks.append(("Heap bytes per entry, Quire <= Hazelcast", ok))
        extra = "-"
        if r.get("quireRamBytes", -1) >= 0:
            extra = (f"RAM tier {r['quireRamBytes'] / r['entries']:.1f} B/entry, {r['quireDiskPages']} disk pages, "
                     f"{r['bytesOnDisk']} B on disk")
        heap_out.append([provider, f"{r['bytesPerEntry']:.1f}", vs, f"{r['preloadMs']}", extra])
    md_table(f"Heap bytes per entry ({heap_rows[0]['entries']} entries, Long keys, {heap_rows[0]['valueBytes']}-byte "
             "values; heap used after GC, growth / entries)",
             ["provider", "bytes/entry", "vs Hazelcast", "preload ms", "Quire's own accounting"], heap_out)

if checks:
    print()
    missed = [label for label, ok in checks if not ok]
    print(">> targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
PY

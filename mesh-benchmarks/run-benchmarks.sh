#!/usr/bin/env bash
# Builds mesh-benchmarks/target/benchmarks.jar and runs the xDS benchmarks and the retained-heap measurement,
# with settings chosen for a shared 2-core machine (about 6 minutes in all). Results, JSON and the machine facts
# land in mesh-benchmarks/target/results/<timestamp>/. Nothing here fails on a wall-clock figure.
#
#   mesh-benchmarks/run-benchmarks.sh                  # everything
#   ONLY=parsers mesh-benchmarks/run-benchmarks.sh     # one of: full, cold, change, parsers, heap
#   FORKS=1 WI=2 I=3 mesh-benchmarks/run-benchmarks.sh # a quicker, rougher pass
#   JAVA=/path/to/jdk/bin/java mesh-benchmarks/run-benchmarks.sh
#   SKIP_BUILD=1 ...                                   # reuse the jar
set -euo pipefail

cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
FORKS=${FORKS:-2}
WI=${WI:-5}              # warm-up iterations of the time-boxed benchmarks
I=${I:-10}               # measured iterations of the time-boxed benchmarks
FULL_WI=${FULL_WI:-40}   # full applies before measuring: C2 settles after about 35 of them
FULL_I=${FULL_I:-30}     # measured full applies per fork
COLD_FORKS=${COLD_FORKS:-10}  # fresh JVMs, one full apply each
HEAP_RUNS=${HEAP_RUNS:-3}
ONLY=${ONLY:-all}
JAR=mesh-benchmarks/target/benchmarks.jar
OUT=mesh-benchmarks/target/results/$(date -u +%Y%m%dT%H%M%SZ)

if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -B -o -q -pl mesh-core,mesh-benchmarks -am package -DskipTests -Pbenchmarks-jar
fi
mkdir -p "$OUT"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (dirty)')"
  echo "cpus: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'))"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$JAVA" -version 2>&1
} | tee "$OUT/machine.txt"

run() {
  local name=$1
  shift
  echo
  echo "== $name"
  "$JAVA" -jar "$JAR" "$@" -prof gc -rf json -rff "$OUT/$name.json" 2>&1 | tee "$OUT/$name.txt"
}

# A fresh client per iteration: single-shot, so each iteration is one apply of the whole config by a new client
# in a warmed-up JVM.
if [[ $ONLY == all || $ONLY == full ]]; then
  run full-apply 'XdsApplyBenchmark.fullApply' -f "$FORKS" -wi "$FULL_WI" -i "$FULL_I"
fi
# The same apply as the very first thing a fresh JVM does (interpreted and C1 code): what a workload sees at start.
if [[ $ONLY == all || $ONLY == cold ]]; then
  run cold-apply 'XdsApplyBenchmark.fullApply' -f "$COLD_FORKS" -wi 0 -i 1
fi
# Steady state: average time per one-endpoint EDS update, 2-second iterations.
if [[ $ONLY == all || $ONLY == change ]]; then
  run one-endpoint-change 'XdsApplyBenchmark.oneEndpointChange' -f "$FORKS" -wi "$WI" -i "$I" -w 2s -r 2s
fi
if [[ $ONLY == all || $ONLY == parsers ]]; then
  run parsers 'ParserBenchmark' -f "$FORKS" -wi "$WI" -i "$I" -w 1s -r 1s
fi
if [[ $ONLY == all || $ONLY == heap ]]; then
  echo
  echo "== retained heap ($HEAP_RUNS JVMs; the histogram in the first)"
  for ((run = 1; run <= HEAP_RUNS; run++)); do
    histo=$([[ $run == 1 ]] && echo --histo || true)
    "$JAVA" -Xms2g -Xmx2g -cp "$JAR" dev.inboard.mesh.bench.RetainedHeapMain $histo 2>&1 \
      | tee -a "$OUT/retained-heap.txt"
  done
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

# One line per benchmark: JMH's score and 99.9% error, the spread of all measured iterations, and bytes per op.
if command -v python3 >/dev/null; then
  python3 - "$OUT" <<'PY' | tee "$OUT/summary.txt"
import glob, json, re, statistics, sys
print(f"{'benchmark':42s} {'score':>12s} {'error':>10s} unit   {'n':>3s} {'min':>10s} {'median':>10s} {'max':>10s} {'B/op':>12s}")
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    run = path.rsplit("/", 1)[1][:-5]
    for b in json.load(open(path)):
        pm = b["primaryMetric"]
        raw = sorted(x for fork in pm["rawData"] for x in fork)
        alloc = float(b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score", "nan"))
        name = run + ":" + b["benchmark"].rsplit(".", 1)[1]
        print(f"{name:42s} {float(pm['score']):12.3f} {float(pm['scoreError']):10.3f} {pm['scoreUnit']:6s} {len(raw):3d} "
              f"{raw[0]:10.3f} {statistics.median(raw):10.3f} {raw[-1]:10.3f} {alloc:12.0f}")
# CPU time of the benchmark thread per op, one line per fork in the JMH output (ThreadCpuMeter).
for path in sorted(glob.glob(sys.argv[1] + "/*.txt")):
    run = path.rsplit("/", 1)[1][:-4]
    values = {}
    for line in open(path):
        m = re.search(r"cpu-per-op (\S+) (\S+): ([0-9. ]+)$", line.rstrip())
        if m:
            values.setdefault((m.group(1), m.group(2)), []).extend(float(x) for x in m.group(3).split())
    for (name, unit), v in values.items():
        v.sort()
        print(f"{run + ':' + name + ' (cpu)':42s} {statistics.mean(v):12.3f} {'':10s} {unit + '/op':6s} {len(v):3d} "
              f"{v[0]:10.3f} {statistics.median(v):10.3f} {v[-1]:10.3f}")
PY
fi
echo
echo "results in $OUT"

#!/usr/bin/env bash
# Builds mesh-benchmarks/target/benchmarks.jar and runs the xDS benchmarks and the retained-heap measurement,
# with settings chosen for a shared 2-core machine (about 10 minutes in all). Results, JSON and the machine facts
# land in mesh-benchmarks/target/results/<timestamp>/. Nothing here fails on a wall-clock figure.
#
#   mesh-benchmarks/run-benchmarks.sh                  # everything
#   ONLY=parsers mesh-benchmarks/run-benchmarks.sh     # one of: full, change, parsers, heap
#   FORKS=1 WI=2 I=3 mesh-benchmarks/run-benchmarks.sh # a quicker, rougher pass
#   JAVA=/path/to/jdk/bin/java mesh-benchmarks/run-benchmarks.sh
#   SKIP_BUILD=1 ...                                   # reuse the jar
set -euo pipefail

cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
FORKS=${FORKS:-2}
WI=${WI:-3}          # warm-up iterations for the time-boxed benchmarks
I=${I:-5}            # measured iterations for the time-boxed benchmarks
FULL_WI=${FULL_WI:-10}
FULL_I=${FULL_I:-30}
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

# A fresh client per iteration: single-shot, so each iteration is one cold apply of the whole config.
if [[ $ONLY == all || $ONLY == full ]]; then
  run full-apply 'XdsApplyBenchmark.fullApply' -f "$FORKS" -wi "$FULL_WI" -i "$FULL_I"
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
  echo "== retained heap"
  "$JAVA" -Xms2g -Xmx2g -cp "$JAR" dev.inboard.mesh.bench.RetainedHeapMain --histo 2>&1 | tee "$OUT/retained-heap.txt"
fi

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
echo
echo "results in $OUT"

#!/usr/bin/env bash
# Separate-process load runs of the mesh's clients: OkHttp with the mesh vs plain OkHttp, gRPC
# through MeshChannels vs plain grpc-java (p50/p99 ratios), and the throughput of the mesh's gRPC client vs
# grpc-java's own xds:/// client fed by the same local control plane. The backend (servers + control plane) runs
# in its own JVM; the clients run interleaved in rounds in one JVM. Nothing here fails on a figure.
#
#   mesh-benchmarks/run-load.sh                       # latency (pinned: client cpu 0, backend cpu 1), then qps
#   ROUNDS=6 REQUESTS=5000 QPS_ROUNDS=8 mesh-benchmarks/run-load.sh  # a quicker, rougher pass
#   PIN=0 ...                                         # no taskset
#   ONLY=latency|qps ...  SKIP_BUILD=1 ...  JAVA=/path/to/java ...
# Results (summary.txt, rounds.csv per part) land in mesh-benchmarks/target/load-results/<UTC timestamp>/.
set -euo pipefail

cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
ROUNDS=${ROUNDS:-12}
WARMUP=${WARMUP:-3}
REQUESTS=${REQUESTS:-10000}
QPS_ROUNDS=${QPS_ROUNDS:-20}
QPS_SECONDS=${QPS_SECONDS:-2}
CALLERS=${CALLERS:-32}
PIN=${PIN:-1}
ONLY=${ONLY:-all}
JAR=mesh-benchmarks/target/benchmarks.jar
OUT=mesh-benchmarks/target/load-results/$(date -u +%Y%m%dT%H%M%SZ)

if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -B -o -q -pl mesh-benchmarks package -DskipTests -Pbenchmarks-jar
fi
mkdir -p "$OUT"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (dirty)')"
  echo "cpus: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'))"
  echo "uptime: $(uptime)"
  "$JAVA" -version 2>&1
} | tee "$OUT/machine.txt"

COMMON=(--warmup-rounds "$WARMUP" --requests "$REQUESTS" --qps-seconds "$QPS_SECONDS" --callers "$CALLERS")
MAIN=dev.inboard.mesh.bench.load.LoadMain
if [[ $ONLY == all || $ONLY == latency ]]; then
  if [[ $PIN == 1 ]]; then
    taskset -c 0 "$JAVA" -Xms1g -Xmx1g -cp "$JAR" $MAIN --suites okhttp,grpc --backend-cpus 1 --rounds "$ROUNDS" \
      "${COMMON[@]}" --out "$OUT/latency"
  else
    "$JAVA" -Xms1g -Xmx1g -cp "$JAR" $MAIN --suites okhttp,grpc --rounds "$ROUNDS" "${COMMON[@]}" --out "$OUT/latency"
  fi
fi
if [[ $ONLY == all || $ONLY == qps ]]; then
  # Unpinned: each client may use both cores, as a service would; the backend shares them alike for every client.
  "$JAVA" -Xms1g -Xmx1g -cp "$JAR" $MAIN --suites qps --rounds "$QPS_ROUNDS" "${COMMON[@]}" --out "$OUT/qps"
fi
echo "uptime after: $(uptime)" | tee -a "$OUT/machine.txt"
echo "results in $OUT"

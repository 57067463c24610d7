#!/usr/bin/env bash
# Benchmark: cluster-tui against a fixture API server (5,000 nodes, 150,000 pods, 100 pod changes/s).
# Prints: first complete frame (and kubectl get pods -A -o json on the same server for the 0.1x target),
# frame p50/p99 while streaming, keystroke-to-frame p50/p99, RSS and heap, idle CPU.
# Usage: bench/tui/run.sh [NODES] [PODS] [RATE]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/fixture/lib.sh
NODES="${1:-5000}" PODS="${2:-150000}" RATE="${3:-100}"
mvn -q -B -o -DskipTests -pl cluster-manager package 2>/dev/null || mvn -q -B -DskipTests -pl cluster-manager -am package
CP_FILE="$(mktemp)"
mvn -q -B -o -pl cluster-manager dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="$(cat "$CP_FILE")"
rm -f "$CP_FILE"
fixture_start "$NODES" "$PODS" "$RATE"
kj=$(wall kubectl get pods -A -o json)
printf '%-32s %8s s\n' "kubectl get pods -A -o json" "$kj"
# The JVM flags bin/cluster-tui uses (bin/kubani-launch.sh, workload "tui"); BENCH_JAVA_OPTS overrides them.
. bin/kubani-launch.sh
kubani_jvm_opts tui
read -r -a jvm <<<"${BENCH_JAVA_OPTS:-${KUBANI_JVM_OPTS[*]}}"
# Like bin/cluster-tui: the jar with the launcher's class-data-sharing archive (recorded after each build by its
# training run), unless BENCH_CLASSES names other classes or BENCH_NO_CDS is set.
classes="${BENCH_CLASSES:-cluster-manager/target/classes}"
if [[ -z "${BENCH_CLASSES:-}" && -z "${BENCH_NO_CDS:-}" ]]; then
  KUBANI_INVENTORY=/nonexistent bin/cluster-mgr status --help >/dev/null 2>&1 || true  # records the full archive if missing
  java_path="$(type -P java)"
  cds="cluster-manager/target/kubani-static-full-${java_path//[^A-Za-z0-9]/_}.jsa"
  if [[ -f "$cds" ]]; then
    classes=cluster-manager/target/kubani.jar
    jvm+=(-XX:SharedArchiveFile="$cds" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
fi
echo "JVM flags: ${jvm[*]}   classes: $classes"
out="$(java "${jvm[@]}" -Dfile.encoding=UTF-8 -cp "$classes:$CP" bench/tui/TuiBench.java "$FIXTURE_URL" "$PODS" 2>/dev/null)"
echo "$out"
first=$(echo "$out" | awk '/first complete frame/ {print $4}')
printf '%-32s %8s   (target <= 0.10)\n' "first frame / kubectl" "$(echo "$first / $kj" | bc -l | xargs printf '%.3f')"

#!/usr/bin/env bash
# Benchmark: 'cluster-mgr status --pods' against a fixture API server holding 5,000 nodes and 150,000 pods,
# next to 'kubectl get nodes' + 'kubectl get pods -A' and the raw floor (curl of the same lists).
# Usage: bench/status/run.sh [NODES] [PODS]   (from the repository root; builds the jar if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/fixture/lib.sh
NODES="${1:-5000}" PODS="${2:-150000}"
[[ -f cluster-manager/target/kubani.jar ]] || mvn -q -B -DskipTests -pl cluster-manager -am package
fixture_start "$NODES" "$PODS" 0
export KUBANI_INVENTORY=/nonexistent-bench-inventory.yml
echo "warm-up run ..." >&2
bin/cluster-mgr status --pods >/dev/null 2>&1 || true  # records the AppCDS archive
curl_s=$(wall sh -c "curl -s $FIXTURE_URL/api/v1/nodes -o /dev/null && curl -s $FIXTURE_URL/api/v1/pods -o /dev/null")
kn=$(wall kubectl get nodes)
kp=$(wall kubectl get pods -A)
kubectl_s=$(echo "$kn + $kp" | bc -l)
# cluster-mgr's run is short, so one burst of load from elsewhere swings it: take the median of three.
mgr_runs=$(for _ in 1 2 3; do wall bin/cluster-mgr status --pods; echo; done | sort -n)
mgr_s=$(echo "$mgr_runs" | sed -n 2p)
mgr_rss=$(peak_rss bin/cluster-mgr status --pods)
kubectl_rss=$(peak_rss kubectl get pods -A)
lines=$(bin/cluster-mgr status --pods 2>/dev/null | wc -l)
printf '%-44s %10s\n' "measure ($NODES nodes, $PODS pods)" "value"
printf '%-44s %9ss\n' "curl nodes + pods (raw floor)" "$curl_s"
printf '%-44s %9ss\n' "kubectl get nodes" "$kn"
printf '%-44s %9ss\n' "kubectl get pods -A" "$kp"
printf '%-44s %9ss\n' "kubectl total" "$kubectl_s"
printf '%-44s %9ss   (median of %s)\n' "cluster-mgr status --pods" "$mgr_s" "$(echo $mgr_runs | tr ' ' '/')"
printf '%-44s %10s\n' "cluster-mgr / kubectl (target <= 0.10)" "$(echo "$mgr_s / $kubectl_s" | bc -l | xargs printf '%.3f')"
printf '%-44s %10s\n' "cluster-mgr / curl floor" "$(echo "$mgr_s / $curl_s" | bc -l | xargs printf '%.1f')"
printf '%-44s %7s MiB\n' "cluster-mgr peak RSS (target <= 1024)" "$mgr_rss"
printf '%-44s %7s MiB\n' "kubectl get pods -A peak RSS" "$kubectl_rss"
printf '%-44s %10s\n' "status output lines" "$lines"

#!/usr/bin/env bash
# Start-up and inventory benchmarks of cluster-mgr. Prints the median wall time of:
#   - `cluster-mgr version`, next to a bare JVM hello-world (same JVM flags)
#   - `add-node` on a 1,000-host inventory
#   - `discover` on a 10,000-peer tailnet status
# Usage: bench/cli/run.sh [runs]   (default 21). Never fails on a timing: it only reports.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-21}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cm="$root/bin/cluster-mgr"

[ -f "$root/cluster-manager/target/kubani.jar" ] || (cd "$root" && mvn -q -B -DskipTests -pl cluster-manager -am package)
"$cm" version >/dev/null   # records the AppCDS archive if needed
"$cm" version >/dev/null

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1e6}'; }
measure() { # measure LABEL CMD...  -> prints median ms
  local t0 t1 i
  for ((i = 0; i < runs; i++)); do
    t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now); echo $((t1 - t0))
  done | median
}

# bare JVM hello-world with the launcher's flags
mkdir -p "$work/hw"
cat > "$work/hw/Hello.java" <<'J'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
J
javac -d "$work/hw" "$work/hw/Hello.java"
hw=$(measure java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$work/hw" Hello)
ver=$(measure "$cm" version)

# a 1,000-host inventory
python3 - "$work" <<'PY'
import sys, json
w = sys.argv[1]
with open(f"{w}/hosts.yml", "w") as f:
    f.write("# benchmark inventory\nall:\n  vars:\n    k3s_version: v1.31.4+k3s1\n    cluster_name: bench\n  children:\n")
    f.write("    control_plane:\n      hosts:\n        cp-0:\n          ansible_host: 100.64.0.1\n          tailscale_ip: 100.64.0.1\n")
    f.write("    workers:\n      hosts:\n")
    for i in range(1, 1000):
        ip = f"100.65.{i // 250}.{i % 250 + 1}"
        f.write(f"        # worker {i}\n        w-{i}:\n          ansible_host: {ip}\n          tailscale_ip: {ip}\n")
        f.write(f"          reserved_cpu: \"2\"\n          node_labels:\n            workstation: \"true\"\n")
peers = {}
for i in range(10000):
    peers[f"nodekey:{i:064x}"] = {"ID": f"n{i}CNTRL", "PublicKey": f"nodekey:{i:064x}", "HostName": f"machine-{i}",
        "DNSName": f"machine-{i}.bench.ts.net.", "OS": "linux", "UserID": 9007199254740993 + i,
        "TailscaleIPs": [f"100.{64 + i // 65536}.{(i // 256) % 256}.{i % 256}", f"fd7a:115c:a1e0::{i:x}"],
        "Tags": ["tag:k8s"], "Online": i % 3 != 0, "LastSeen": "2026-11-01T10:00:00Z", "Active": False,
        "Relay": "fra", "RxBytes": 123, "TxBytes": 456, "Created": "2026-01-01T00:00:00Z",
        "Capabilities": ["https://tailscale.com/cap/ssh"], "sshHostKeys": ["ssh-ed25519 AAAA"]}
st = {"Version": "1.76.6", "BackendState": "Running", "Self": {"HostName": "mgmt", "TailscaleIPs": ["100.100.100.100"],
      "Online": True}, "MagicDNSSuffix": "bench.ts.net", "Peer": peers}
with open(f"{w}/status.json", "w") as f:
    json.dump(st, f)
PY

n=0
addnode() { n=$((n + 1)); "$cm" add-node "bench-$n" "100.70.0.$n" --role worker --inventory "$work/hosts.yml"; }
add=$(runs_save=$runs; measure addnode)
disc=$(measure "$cm" discover --status-file "$work/status.json" --inventory "$work/hosts.yml")

echo "cluster-mgr benchmarks ($(nproc) cores, $runs runs each, median wall time)"
printf '  %-42s %8s ms\n' "bare JVM hello-world" "$hw"
printf '  %-42s %8s ms   (%.2fx hello-world; target <= 200 ms and <= 1.5x)\n' "cluster-mgr version" "$ver" \
  "$(echo "$ver $hw" | awk '{print $1/$2}')"
printf '  %-42s %8s ms   (target <= 400 ms)\n' "add-node on a 1,000-host inventory" "$add"
printf '  %-42s %8s ms   (target <= 400 ms)\n' "discover on a 10,000-peer status" "$disc"
printf '  inventory after the run: %s hosts, %s bytes; status: %s bytes\n' \
  "$(grep -c 'tailscale_ip:' "$work/hosts.yml")" "$(stat -c %s "$work/hosts.yml")" "$(stat -c %s "$work/status.json")"

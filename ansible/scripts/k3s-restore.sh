#!/usr/bin/env bash
# Restore a Kubani backup (from playbooks/backup.yml) onto a K3s server.
#
#   k3s-restore.sh SNAPSHOT_FILE SERVER [--inventory FILE]
#
# Runs from the management machine, over SSH via ansible (same inventory and credentials):
#   * copies the snapshot to SERVER,
#   * etcd snapshot (file name kubani-*, not *.db): stops k3s, runs
#     `k3s server --cluster-reset --cluster-reset-restore-path=...` (the token comes from the
#     token-file in /etc/rancher/k3s/config.yaml, never the command line), starts k3s;
#     other servers must then be reset and re-joined (reset their data dir, run add_node.yml).
#   * SQLite copy (*.db): stops k3s, replaces server/db/state.db (keeping the old one as
#     state.db.pre-restore), removes stale -wal/-shm files, starts k3s.
# The server must already have Kubani's config.yaml and token files (run provision_cluster.yml
# with the same vault-encrypted token copy first when rebuilding a server from scratch).
set -euo pipefail

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 2 ] || usage
snapshot=$1
server=$2
shift 2
inventory_args=()
if [ "${1:-}" = "--inventory" ]; then inventory_args=(-i "$2"); fi
[ -f "$snapshot" ] || { echo "no such snapshot: $snapshot" >&2; exit 1; }

here=$(cd "$(dirname "$0")/.." && pwd)
export ANSIBLE_CONFIG="$here/ansible.cfg"
cd "$here"

name=$(basename "$snapshot")
remote=/var/lib/rancher/k3s/server/db/restore-$name
kind=etcd
case "$name" in *.db) kind=sqlite ;; esac

run() { ansible "$server" "${inventory_args[@]}" "$@"; }

echo "==> copying $name to $server"
run -m ansible.builtin.copy -a "src=$snapshot dest=$remote mode=0600"
echo "==> stopping k3s on $server"
run -m ansible.builtin.systemd -a "name=k3s state=stopped"
if [ "$kind" = etcd ]; then
  echo "==> resetting etcd from the snapshot"
  run -m ansible.builtin.command -a \
    "/usr/local/bin/k3s server --cluster-reset --cluster-reset-restore-path=$remote"
else
  echo "==> replacing the SQLite database"
  run -m ansible.builtin.shell -a \
    "set -e; cd /var/lib/rancher/k3s/server/db; cp -p state.db state.db.pre-restore 2>/dev/null || true; rm -f state.db-wal state.db-shm; mv $remote state.db; chmod 0600 state.db"
fi
echo "==> starting k3s"
run -m ansible.builtin.systemd -a "name=k3s state=started"
echo "restored $name on $server; check with: kubectl --context <cluster_name> get nodes"

#!/usr/bin/env bash
# Provisioning benchmark on the SSH harness (tests/harness/hosts.sh), as issue 3 asks:
# wall time of site.yml (prerequisites plus configuration; the K3s binary install and GPU steps
# are skipped: no internet here) for 1, 4 and 12 hosts, the idempotent re-run, and CPU seconds.
#
#   bench/ansible/provision-bench.sh [SIZES...]      (default: 1 4 12; needs root)
#   BENCH_ROUNDS=N repeats the sizes N times, each round on new harness hosts, and ends with the
#   medians (single runs on a shared 2-core VM vary by 10-20%; compare medians).
#   BENCH_LOGS=DIR keeps each run's ansible-playbook output (h<N>-first.log, h<N>-rerun.log).
#   BENCH_TEMPLATE_CACHE=DIR: the stored template code to start from (default: none, per size).
#   Per-task times: KUBANI_EVENTS=FILE appends every run's kubani_events JSON lines (each with a
#   timestamp) to FILE; or ANSIBLE_CALLBACKS_ENABLED=profile_tasks where the ansible.posix
#   collection is installed (Debian package "ansible"; ansible-core alone does not have it).
#
# Prints one line per size and the ratios against the targets:
#   re-run <= 40% of the first run; 12 hosts <= 4x the time of 1 host.
# Never fails on a timing (DESIGN.md section 7): exit status is 0 unless a run itself fails.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 4 12)
work=$(mktemp -d /tmp/kubani-bench.XXXXXX)
harness="$here/tests/harness/hosts.sh"
cleanup() {
  if [ -n "${BENCH_LOGS:-}" ]; then
    mkdir -p "$BENCH_LOGS" && for l in "$work"/h*/*.log; do [ -f "$l" ] && cp "$l" "$BENCH_LOGS/$(basename "$(dirname "$l")")-$(basename "$l")"; done
  fi
  for d in "$work"/h*; do [ -d "$d/harness" ] && bash "$harness" down "$d/harness" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

export ANSIBLE_CONFIG="$here/ansible/ansible.cfg" ANSIBLE_NOCOLOR=1
cpu_total() { awk '/^cpu /{print ($2+$3+$4+$6+$7+$8)/100}' /proc/stat; }

run() { # run DIR LABEL -> prints "wall ctl_cpu machine_cpu changed_sum"
  local dir=$1 label=$2 t0 c0 t1 c1 out
  c0=$(cpu_total); t0=$(date +%s.%N)
  out=$( { /usr/bin/time -f "CTLCPU %U %S" ansible-playbook -i "$dir/inv/hosts.yml" -e "@$dir/overrides.yml" \
      "$here/ansible/playbooks/site.yml" --skip-tags k3s_install,gpu >"$dir/$label.log" 2>&1; } 2>&1 ) || {
    echo "run $label failed; see $dir/$label.log" >&2; tail -30 "$dir/$label.log" >&2; exit 1; }
  t1=$(date +%s.%N); c1=$(cpu_total)
  out=$(grep CTLCPU "$dir/$label.log" || true)
  local ctl changed
  ctl=$(echo "$out" | awk '{print $2+$3}')
  changed=$(grep -E '^node[0-9]+ +:' "$dir/$label.log" | sed -E 's/.*changed=([0-9]+).*/\1/' | paste -sd+ | bc)
  echo "$(echo "$t1 - $t0" | bc) ${ctl:-0} $(echo "$c1 - $c0" | bc) $changed"
}

rounds=${BENCH_ROUNDS:-1}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
declare -A firsts reruns ratios
scalings=""
for round in $(seq 1 "$rounds"); do
  [ "$rounds" -gt 1 ] && echo "round $round of $rounds"
  printf '%-6s %10s %10s %8s %12s %12s %14s\n' hosts first_s rerun_s rerun% ctl_cpu_s all_cpu_s rerun_changed
  declare -A first=()
  for n in "${sizes[@]}"; do
    # Each round on new hosts and a new directory (no tokens, facts or template code from before).
    dir="$work/h$n"; [ "$round" -eq 1 ] || dir="$work/h$n-r$round"
    bash "$harness" up "$n" "$dir/harness" >/dev/null
    mkdir -p "$dir/inv"
    ln -s "$here/ansible/inventory/group_vars" "$dir/inv/group_vars"
    {
      echo "all:"
      echo "  vars:"
      echo "    k3s_version: v1.31.4+k3s1"
      echo "    cluster_name: bench"
      echo "    tailscale_network: 100.64.0.0/10"
      echo "    ansible_user: root"
      echo "    ansible_python_interpreter: /usr/bin/python3"
      echo "    ansible_ssh_private_key_file: $dir/harness/keys/id_ed25519"
      echo "    ansible_ssh_common_args: -o UserKnownHostsFile=$dir/harness/keys/known_hosts -o IdentitiesOnly=yes"
      echo "  children:"
      mapfile -t hosts < <(bash "$harness" list "$dir/harness")
      echo "    control_plane:"
      echo "      hosts:"
      read -r name addr <<<"${hosts[0]}"
      echo "        $name: {ansible_host: $addr, tailscale_ip: $addr}"
      echo "    workers:"
      if [ "${#hosts[@]}" -gt 1 ]; then
        echo "      hosts:"
        for h in "${hosts[@]:1}"; do
          read -r name addr <<<"$h"
          echo "        $name: {ansible_host: $addr, tailscale_ip: $addr}"
        done
      else
        echo "      hosts: {}"
      fi
    } >"$dir/inv/hosts.yml"
    cat >"$dir/overrides.yml" <<YML
gitops_enabled: false
prerequisites_kernel_modules: [overlay]
k3s_token_local_file: $dir/vault/tokens.yml
k3s_token_vault_password_file: $dir/vault/password
kubeconfig_local_path: $dir/kubeconfig
YML
    export ANSIBLE_CACHE_PLUGIN_CONNECTION="$dir/facts" ANSIBLE_SSH_CONTROL_PATH_DIR="$dir/cp"
    # The first run starts with no stored template code (as on a new management machine), unless
    # BENCH_TEMPLATE_CACHE names a directory to use (for example one an earlier run filled).
    export KUBANI_TEMPLATE_CACHE="${BENCH_TEMPLATE_CACHE:-$dir/templates}"
    read -r w1 ctl1 all1 _ < <(run "$dir" first)
    read -r w2 ctl2 all2 ch2 < <(run "$dir" rerun)
    first[$n]=$w1
    ratio=$(echo "100 * $w2 / $w1" | bc -l)
    firsts[$n]+=" $w1"; reruns[$n]+=" $w2"; ratios[$n]+=" $ratio"
    printf '%-6s %10.1f %10.1f %7.0f%% %12s %12s %14s\n' "$n" "$w1" "$w2" "$ratio" \
      "$(printf '%.1f/%.1f' "$ctl1" "$ctl2")" "$(printf '%.1f/%.1f' "$all1" "$all2")" "$ch2"
    bash "$harness" down "$dir/harness" >/dev/null
  done
  if [ -n "${first[1]:-}" ] && [ -n "${first[12]:-}" ]; then
    scaling=$(echo "${first[12]} / ${first[1]}" | bc -l)
    scalings+=" $scaling"
    printf 'scaling: 12 hosts take %.2fx the time of 1 host (target <= 4x)\n' "$scaling"
  fi
done
if [ "$rounds" -gt 1 ]; then
  echo "medians over $rounds rounds:"
  printf '%-6s %10s %10s %8s\n' hosts first_s rerun_s rerun%
  for n in "${sizes[@]}"; do
    printf '%-6s %10.1f %10.1f %7.0f%%\n' "$n" "$(echo "${firsts[$n]}" | median)" "$(echo "${reruns[$n]}" | median)" \
      "$(echo "${ratios[$n]}" | median)"
  done
  if [ -n "$scalings" ]; then
    printf 'scaling: median %.2fx (per round:%s)\n' "$(echo "$scalings" | median)" \
      "$(for x in $scalings; do printf ' %.2f' "$x"; done)"
  fi
fi
echo "targets: re-run <= 40% of the first run; cpu columns are first/re-run seconds (ctl: ansible-playbook"
echo "and its children; all: the whole machine, i.e. controller plus every harness host's Python)."

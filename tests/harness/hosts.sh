#!/usr/bin/env bash
# Kubani multi-host SSH test harness: N "machines" on this one, each in its own network
# namespace with a private filesystem view and its own sshd. See tests/harness/README.md.
#
#   hosts.sh up N DIR          create N hosts; state in DIR; prints an Ansible inventory (YAML)
#   hosts.sh down DIR          remove everything 'up' created (safe to run twice / on partial state)
#   hosts.sh exec DIR HOST CMD run CMD inside HOST (its netns and its private mounts)
#   hosts.sh tailscale DIR HOST running|logged-out|stopped|ip ADDR
#                              change what HOST's stand-in `tailscale` command answers
#   hosts.sh cut DIR HOST      drop HOST's traffic to/from the other hosts (SSH from the test stays)
#   hosts.sh uncut DIR HOST    undo cut
#   hosts.sh list DIR          print "name address" lines
#
# Needs root, iproute2, util-linux (unshare, nsenter), openssh-server, overlayfs.
# Addresses: 100.96.K.0/24 (inside 100.64.0.0/10), K picked free per harness; the bridge in
# the root namespace is .1, host i is .(10+i). Nothing is routed anywhere else.
set -euo pipefail

HARNESS_LOCK=/run/kubani-harness.lock
# Paths the roles write; each gets a private overlay per host. /run and /root get private
# tmpfs mounts (a clean root home: the machine's dotfiles and ~/.ssh stay out of the hosts).
# /tmp stays shared (the harness state lives there), so DIR must not be under these paths.
OVERLAY_PATHS=(/etc /usr/local /var/lib /var/log /opt /boot /srv)
SSHD=/usr/sbin/sshd

die() { echo "hosts.sh: $*" >&2; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }

host_dir() { echo "$1/hosts/$2"; }

# Pick a free K (1..250) and reserve it with a marker under /run; serialised by flock.
alloc_subnet() {
  local k
  exec 9>"$HARNESS_LOCK"
  flock 9
  for k in $(seq 1 250); do
    if ! ip link show "kbr$k" >/dev/null 2>&1 && [ ! -e "/run/kubani-harness.$k" ]; then
      echo "$1" >"/run/kubani-harness.$k"
      echo "$k"
      flock -u 9
      return 0
    fi
  done
  flock -u 9
  die "no free harness subnet"
}

write_standin() {
  # The stand-in `tailscale` command. It is NOT Tailscale: it answers the two questions the
  # roles ask (`tailscale status --json`, `tailscale ip -4`, `tailscale version`) from a
  # state file the harness controls, so prerequisites can be tested without a tailnet.
  local bin="$1"
  cat >"$bin" <<'EOF'
#!/bin/sh
# KUBANI TEST STAND-IN for the tailscale CLI (tests/harness/hosts.sh). Not Tailscale.
# State: /var/lib/tailscale-standin/state (BackendState) and .../ip (this node's IP).
S=/var/lib/tailscale-standin
state=$(cat "$S/state" 2>/dev/null || echo Running)
ip=$(cat "$S/ip" 2>/dev/null || echo "")
name=$(cat "$S/name" 2>/dev/null || hostname)
case "$1" in
  version) echo "1.76.6-standin"; exit 0 ;;
  ip)
    [ "$state" = Running ] || { echo "no current Tailscale IPs; state: $state" >&2; exit 1; }
    echo "$ip"; exit 0 ;;
  status)
    if [ "$state" = Stopped ]; then
      echo "failed to connect to local tailscaled; it doesn't appear to be running" >&2; exit 1
    fi
    if [ "$2" = "--json" ]; then
      if [ "$state" = Running ]; then ips="[\"$ip\"]"; online=true; else ips="[]"; online=false; fi
      printf '{"Version":"1.76.6-standin","BackendState":"%s","TailscaleIPs":%s,' "$state" "$ips"
      printf '"Self":{"HostName":"%s","DNSName":"%s.kubani-test.ts.net.","TailscaleIPs":%s,"Online":%s},' \
        "$name" "$name" "$ips" "$online"
      printf '"MagicDNSSuffix":"kubani-test.ts.net","CurrentTailnet":{"Name":"kubani-test","MagicDNSSuffix":"kubani-test.ts.net","MagicDNSEnabled":true}}\n'
    else
      [ "$state" = Running ] && echo "$ip  $name  standin  linux  -" || echo "Logged out."
    fi
    exit 0 ;;
  *) echo "tailscale stand-in: unsupported command: $*" >&2; exit 2 ;;
esac
EOF
  chmod 0755 "$bin"
}

cmd_up() {
  need_root
  local n="$1" dir="$2" k i
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 200 ] || die "N must be 1..200"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -e "$dir/harness.env" ] && die "$dir already holds a harness; run down first"
  for p in "${OVERLAY_PATHS[@]}" /run /root; do
    case "$dir/" in "$p"/*) die "DIR must not be under $p (it is overlaid inside the hosts)" ;; esac
  done
  k=$(alloc_subnet "$dir")
  {
    echo "K=$k"
    echo "N=$n"
  } >"$dir/harness.env"
  # If anything below fails, tear down what exists so nothing leaks.
  trap 'echo "hosts.sh: up failed, cleaning up" >&2; cmd_down "$dir" >/dev/null 2>&1 || true' ERR

  local br="kbr$k"
  ip link add "$br" type bridge
  ip addr add "100.96.$k.1/24" dev "$br"
  ip link set "$br" mtu 1280 up

  mkdir -p "$dir/keys"
  ssh-keygen -q -t ed25519 -N '' -f "$dir/keys/id_ed25519" -C kubani-harness
  ssh-keygen -q -t ed25519 -N '' -f "$dir/keys/ssh_host_ed25519_key" -C kubani-harness-host
  cp "$dir/keys/id_ed25519.pub" "$dir/keys/authorized_keys"
  chmod 0600 "$dir/keys/authorized_keys"
  : >"$dir/keys/known_hosts"

  for i in $(seq 1 "$n"); do
    local name="node$i" ns="kh$k-$i" addr="100.96.$k.$((10 + i))" hd
    hd=$(host_dir "$dir" "$name")
    mkdir -p "$hd/log"
    ip netns add "$ns"
    ip link add "kv$k-$i" type veth peer name "kp$k-$i"
    ip link set "kp$k-$i" netns "$ns"
    ip link set "kv$k-$i" master "$br" mtu 1280 up
    ip -n "$ns" link set "kp$k-$i" name tailscale0
    ip -n "$ns" link set tailscale0 mtu 1280
    ip -n "$ns" addr add "$addr/24" dev tailscale0
    ip -n "$ns" link set tailscale0 up
    ip -n "$ns" link set lo up

    # Private mounts: overlays over the paths roles write, tmpfs on /run and /tmp.
    local mounts=""
    for p in "${OVERLAY_PATHS[@]}"; do
      [ -d "$p" ] || continue
      mkdir -p "$hd/upper$p" "$hd/work$p"
      mounts+="mount -t overlay overlay -o lowerdir=$p,upperdir=$hd/upper$p,workdir=$hd/work$p $p; "
    done
    mkdir -p "$hd/upper/usr/local/bin" "$hd/upper/var/lib/tailscale-standin" "$hd/upper/etc"
    write_standin "$hd/upper/usr/local/bin/tailscale"
    echo Running >"$hd/upper/var/lib/tailscale-standin/state"
    echo "$addr" >"$hd/upper/var/lib/tailscale-standin/ip"
    echo "$name" >"$hd/upper/var/lib/tailscale-standin/name"
    echo "$name" >"$hd/upper/etc/hostname"

    cat >"$hd/sshd_config" <<EOF
ListenAddress $addr
Port 22
HostKey $dir/keys/ssh_host_ed25519_key
AuthorizedKeysFile $dir/keys/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
PidFile /run/sshd.pid
Subsystem sftp internal-sftp
MaxStartups 100:30:200
MaxSessions 100
LogLevel ERROR
EOF
    # shellcheck disable=SC2016
    ip netns exec "$ns" unshare -m -u --propagation private -- /bin/bash -c '
      set -e
      echo $$ > '"$hd"'/pid
      '"$mounts"'
      mount -t tmpfs -o mode=0755 tmpfs /run
      mount -t tmpfs -o mode=0700 tmpfs /root
      mkdir -p /run/sshd
      hostname '"$name"'
      exec '"$SSHD"' -D -f '"$hd"'/sshd_config -E '"$hd"'/log/sshd.log
    ' </dev/null >"$hd/log/start.log" 2>&1 &
    echo "$ns" >"$hd/netns"
    echo "$addr" >"$hd/address"
  done

  # Wait for every sshd to listen.
  for i in $(seq 1 "$n"); do
    local hd addr t=0
    hd=$(host_dir "$dir" "node$i")
    addr=$(cat "$hd/address")
    until ip netns exec "kh$k-$i" bash -c "exec 3<>/dev/tcp/$addr/22" 2>/dev/null; do
      t=$((t + 1))
      [ "$t" -lt 100 ] || { cat "$hd/log/start.log" >&2; die "sshd on node$i did not start"; }
      sleep 0.1
    done
    ssh-keygen -q -l -f "$dir/keys/ssh_host_ed25519_key.pub" >/dev/null
    echo "$addr $(cut -d' ' -f1,2 "$dir/keys/ssh_host_ed25519_key.pub")" >>"$dir/keys/known_hosts"
  done
  trap - ERR
  print_inventory "$dir"
}

print_inventory() {
  local dir="$1" k n i
  # shellcheck disable=SC1091
  . "$dir/harness.env"
  {
    echo "# Generated by tests/harness/hosts.sh for $dir: harness hosts, not real machines."
    echo "all:"
    echo "  vars:"
    echo "    ansible_user: root"
    echo "    ansible_python_interpreter: /usr/bin/python3"
    echo "    ansible_ssh_private_key_file: $dir/keys/id_ed25519"
    echo "    ansible_ssh_common_args: >-"
    echo "      -o UserKnownHostsFile=$dir/keys/known_hosts -o StrictHostKeyChecking=yes"
    echo "      -o IdentitiesOnly=yes -o ControlMaster=auto -o ControlPersist=120s"
    echo "      -o ControlPath=$dir/keys/cm-%C"
    echo "  hosts:"
    for i in $(seq 1 "$N"); do
      echo "    node$i:"
      echo "      ansible_host: 100.96.$K.$((10 + i))"
      echo "      tailscale_ip: 100.96.$K.$((10 + i))"
    done
  } | tee "$dir/inventory.yml"
}

cmd_down() {
  need_root
  local dir="$1" k="" i hd m ns pid
  dir=$(cd "$dir" 2>/dev/null && pwd || echo "$dir")
  if [ -f "$dir/harness.env" ]; then
    # shellcheck disable=SC1091
    . "$dir/harness.env"
    k="$K"
  else
    # State lost (DIR deleted early)? The subnet marker in /run remembers which DIR owns K.
    for m in /run/kubani-harness.[0-9]*; do
      [ -f "$m" ] && [ "$(cat "$m")" = "$dir" ] && k="${m##*.}"
    done
  fi
  # End this harness's sshd listeners (and their sessions): matched by this DIR's config path.
  for pid in $(pgrep -f "sshd -D -f $dir/hosts/" 2>/dev/null); do
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
  for hd in "$dir"/hosts/*/; do
    [ -f "$hd/pid" ] && rm -f "$hd/pid"
  done
  if [ -n "$k" ]; then
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^kh$k-"); do
      # Anything still running in the namespace (stray sessions) is ours: end it.
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
      ip netns del "$ns" 2>/dev/null || true
    done
    for i in $(ip -br link 2>/dev/null | awk '{print $1}' | sed 's/@.*//' | grep "^kv$k-"); do
      ip link del "$i" 2>/dev/null || true
    done
    ip link del "kbr$k" 2>/dev/null || true
    rm -f "/run/kubani-harness.$k"
  fi
  rm -f "$dir/harness.env"
  echo "harness in $dir is down"
}

host_pid() {
  local dir="$1" host="$2" hd
  hd=$(host_dir "$dir" "$host")
  [ -f "$hd/pid" ] || die "no such host: $host"
  cat "$hd/pid"
}

cmd_exec() {
  need_root
  local dir="$1" host="$2"
  shift 2
  local pid
  pid=$(host_pid "$dir" "$host")
  exec nsenter -t "$pid" -m -n -- "$@"
}

cmd_tailscale() {
  need_root
  local dir="$1" host="$2" what="$3" pid
  pid=$(host_pid "$dir" "$host")
  case "$what" in
    running) nsenter -t "$pid" -m -- sh -c 'echo Running > /var/lib/tailscale-standin/state' ;;
    logged-out) nsenter -t "$pid" -m -- sh -c 'echo NeedsLogin > /var/lib/tailscale-standin/state' ;;
    stopped) nsenter -t "$pid" -m -- sh -c 'echo Stopped > /var/lib/tailscale-standin/state' ;;
    ip) nsenter -t "$pid" -m -- sh -c "echo '$4' > /var/lib/tailscale-standin/ip" ;;
    *) die "tailscale: running|logged-out|stopped|ip ADDR" ;;
  esac
}

cmd_cut() {
  need_root
  local dir="$1" host="$2" hd k
  # shellcheck disable=SC1091
  . "$dir/harness.env"
  k="$K"
  hd=$(host_dir "$dir" "$host")
  # Blackhole the other hosts' addresses inside HOST; the bridge (.1, the test's SSH source)
  # stays reachable, so Ansible still gets in but the host cannot reach its peers.
  local i
  for i in $(seq 1 "$N"); do
    [ "node$i" = "$host" ] && continue
    ip -n "$(cat "$hd/netns")" route add blackhole "100.96.$k.$((10 + i))/32" 2>/dev/null || true
  done
}

cmd_uncut() {
  need_root
  local dir="$1" host="$2" hd k i
  # shellcheck disable=SC1091
  . "$dir/harness.env"
  k="$K"
  hd=$(host_dir "$dir" "$host")
  for i in $(seq 1 "$N"); do
    ip -n "$(cat "$hd/netns")" route del blackhole "100.96.$k.$((10 + i))/32" 2>/dev/null || true
  done
}

cmd_list() {
  local dir="$1" hd
  for hd in "$dir"/hosts/*/; do
    [ -f "$hd/address" ] && echo "$(basename "$hd") $(cat "$hd/address")"
  done
}

case "${1:-}" in
  up) [ $# -eq 3 ] || die "usage: hosts.sh up N DIR"; cmd_up "$2" "$3" ;;
  down) [ $# -eq 2 ] || die "usage: hosts.sh down DIR"; cmd_down "$2" ;;
  exec) [ $# -ge 4 ] || die "usage: hosts.sh exec DIR HOST CMD..."; shift; cmd_exec "$@" ;;
  tailscale) [ $# -ge 4 ] || die "usage: hosts.sh tailscale DIR HOST STATE"; shift; cmd_tailscale "$@" ;;
  cut) [ $# -eq 3 ] || die "usage: hosts.sh cut DIR HOST"; cmd_cut "$2" "$3" ;;
  uncut) [ $# -eq 3 ] || die "usage: hosts.sh uncut DIR HOST"; cmd_uncut "$2" "$3" ;;
  list) [ $# -eq 2 ] || die "usage: hosts.sh list DIR"; cmd_list "$2" ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

#!/usr/bin/env bash
# Installs the Debian packages the tests need (one name per line in scripts/deps.d/*.txt) and
# any extra setup a component declares in scripts/deps.d/*.sh. Safe to run again: it installs
# only what is missing. Needs root (or sudo) the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

mapfile -t wanted < <(cat scripts/deps.d/*.txt 2>/dev/null | sed 's/#.*//' | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for s in scripts/deps.d/*.sh; do
  [ -e "$s" ] || continue
  echo "==> $s"
  bash "$s"
done

#!/usr/bin/env bash
# secrets tests: the npm package sops-age (an implementation of SOPS decryption we did not write)
# decrypts Kubani's SOPS files. Installs Node.js/npm from Debian only when no node is found, then
# `npm ci` from the lock file in cluster-manager/src/test/node (skipped when already installed).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "==> node/npm not found: installing Debian's nodejs and npm"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

dir=cluster-manager/src/test/node
want=$(sed -n 's/.*"sops-age": "\([0-9.]*\)".*/\1/p' "$dir/package.json" | head -1)
have=$(sed -n 's/.*"version": "\([0-9.]*\)".*/\1/p' "$dir/node_modules/sops-age/package.json" 2>/dev/null | head -1 || true)
if [ -n "$want" ] && [ "$want" = "$have" ]; then
  echo "==> sops-age $have already installed in $dir"
else
  echo "==> npm ci in $dir (sops-age $want)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
fi

#!/usr/bin/env bash
# gitops-tests need `kubectl kustomize` (kubectl >= 1.21, which embeds Kustomize v4+).
# Installs Debian's kubernetes-client only when no working kubectl is found.
set -euo pipefail

if kubectl kustomize --help >/dev/null 2>&1; then
  :
else
  echo "==> kubectl with kustomize not found: installing Debian's kubernetes-client"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
fi

ver=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\{0,1\}//p' | head -1)
if [ -z "$ver" ]; then
  echo "WARNING: this kubectl does not report a Kustomize version (kubectl < 1.21 embeds Kustomize v2.0.3)." >&2
  echo "         gitops-tests need Kustomize v4 or newer (kubectl >= 1.21); they will say so and fail." >&2
else
  echo "==> kubectl kustomize: Kustomize v$ver"
fi

#!/usr/bin/env bash
# Runs every test of the project. Installs what the tests need first (Debian packages listed
# in scripts/deps.d/*.txt, npm packages for interop tests), then runs the whole Maven build.
# Usage: scripts/test-all.sh [extra maven args]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

export MAVEN_OPTS="${MAVEN_OPTS:--Xmx2g}"
exec mvn -B -ntp verify "$@"

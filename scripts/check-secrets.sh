#!/usr/bin/env bash
# Refuses unencrypted Kubernetes Secrets, so that no plaintext secret reaches git.
#
#   scripts/check-secrets.sh --staged     check the staged version of added/changed files (pre-commit)
#   scripts/check-secrets.sh FILE...      check these files
#   scripts/check-secrets.sh              check every file git tracks
#
# A YAML document with `kind: Secret` passes only if it has a top-level `sops:` block and every
# value under `data:` / `stringData:` is a SOPS value (ENC[AES256_GCM,...]). Also refused:
# kustomize `secretGenerator:` (it renders plaintext Secrets) and age private keys
# (AGE-SECRET-KEY-…). Files under a src/test/resources/ directory are test fixtures and are
# skipped. Exit status: 0 clean, 1 something refused, 2 usage error.
set -euo pipefail

mode=all
if [ "${1:-}" = "--staged" ]; then mode=staged; shift
elif [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then sed -n '2,13p' "$0"; exit 0
elif [ $# -gt 0 ]; then mode=files
fi

# Prints the problems of one file's content (read from stdin); prints nothing when clean.
check_content() {
  awk -v file="$1" '
    function flush_doc() {
      if (is_secret) {
        if (!has_sops) printf "%s: Secret %s is not SOPS-encrypted (no sops: block)\n", file, (name == "" ? "(unnamed)" : name)
        else if (plain != "") printf "%s: Secret %s has unencrypted values: %s\n", file, (name == "" ? "(unnamed)" : name), plain
      }
      is_secret = 0; has_sops = 0; plain = ""; name = ""; section = ""; in_meta = 0
    }
    function strip_quotes(v) {
      sub(/[ \t]+#.*$/, "", v); sub(/[ \t]+$/, "", v)
      if (v ~ /^".*"$/ || v ~ /^\x27.*\x27$/) v = substr(v, 2, length(v) - 2)
      return v
    }
    BEGIN { flush_doc() }
    /^---/ { flush_doc(); next }
    /AGE-SECRET-KEY-[1]/ { printf "%s:%d: contains an age private key (AGE-SECRET-KEY-…)\n", file, NR }
    /^secretGenerator:/ { printf "%s:%d: kustomize secretGenerator renders plaintext Secrets; use a SOPS-encrypted file\n", file, NR }
    /^kind:[ \t]*["\x27]?Secret["\x27]?[ \t]*(#.*)?$/ { is_secret = 1 }
    /"kind"[ \t]*:[ \t]*"Secret"/ { is_secret = 1; json = 1 }
    /^sops:/ || /"sops"[ \t]*:/ { has_sops = 1 }
    /^[^ \t#]/ {
      # a new top-level key ends any data/stringData/metadata section
      section = ""; in_meta = 0
      if ($0 ~ /^(data|stringData):/) {
        section = $0; sub(/:.*/, "", section)
        rest = $0; sub(/^[A-Za-z]+:[ \t]*/, "", rest); rest = strip_quotes(rest)
        if (rest != "" && rest != "{}" && rest != "null") plain = plain section "(inline) "
      }
      if ($0 ~ /^metadata:/) in_meta = 1
      next
    }
    in_meta && /^  name:/ { n = $0; sub(/^  name:[ \t]*/, "", n); name = strip_quotes(n) }
    section != "" && /^[ \t]+[^ \t#]/ {
      line = $0; sub(/^[ \t]+/, "", line)
      key = line; sub(/:.*/, "", key)
      val = line; if (index(val, ":") == 0) next
      sub(/^[^:]*:[ \t]*/, "", val); val = strip_quotes(val)
      if (val == "") next                       # empty value: nothing secret
      if (val ~ /^[|>]/) { plain = plain section "." key " "; next }   # block scalar = plaintext
      if (val !~ /^ENC\[AES256_GCM,data:.*,iv:.*,tag:.*,type:[a-z]+\]$/) plain = plain section "." key " "
    }
    END {
      flush_doc()
    }
  '
}

is_candidate() {
  case "$1" in
    */src/test/resources/*|src/test/resources/*) return 1 ;;
    *.yaml|*.yml|*.json|*.env|*.txt|*.agekey|*.key) return 0 ;;
    *) return 1 ;;
  esac
}

problems=""
check_one() { # path, content-source command...
  local path=$1; shift
  is_candidate "$path" || return 0
  local out
  out=$("$@" | check_content "$path") || true
  if [ -n "$out" ]; then problems+="$out"$'\n'; fi
}

case $mode in
  staged)
    while IFS= read -r -d '' f; do
      check_one "$f" git show ":$f"
    done < <(git diff --cached --name-only --diff-filter=ACMR -z)
    ;;
  files)
    for f in "$@"; do
      [ -f "$f" ] || { echo "check-secrets: no such file: $f" >&2; exit 2; }
      check_one "$f" cat -- "$f"
    done
    ;;
  all)
    while IFS= read -r -d '' f; do
      [ -f "$f" ] && check_one "$f" cat -- "$f"
    done < <(git ls-files -z)
    ;;
esac

if [ -n "$problems" ]; then
  printf '%s' "$problems" >&2
  cat >&2 <<'MSG'
Refused: plaintext secrets must never be committed.
Create secrets with `cluster-mgr secrets create` (it writes SOPS-encrypted *.enc.yaml files),
or encrypt a file in place with `sops --encrypt --in-place FILE` (rules in .sops.yaml).
MSG
  exit 1
fi
exit 0

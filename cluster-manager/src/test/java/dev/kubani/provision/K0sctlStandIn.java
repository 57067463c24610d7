package dev.kubani.provision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A test-only stand-in for the k0sctl executable (no real k0sctl exists here, and no host could
 * be reached): a shell script named {@code k0sctl}, put first on PATH, that prints k0sctl-shaped
 * output (logfmt lines as k0sctl writes them to a pipe, the dry-run summary, a kubeconfig) and
 * exits 0 or 1. It is not K3s and not k0s; it records its arguments and a copy of the cluster
 * file it was given, so tests can check what provision asked of k0sctl.
 *
 * <p>Its behaviour comes from the environment: {@code STANDIN_MODE} ok (default), fail (a
 * worker fails to start in "Install workers"), unreachable (a host refuses SSH in "Connect to
 * hosts") or slow (hangs in "Install controllers" until interrupted); {@code STANDIN_API} the
 * API server URL for the kubeconfig it prints.
 *
 * <p>Given a file with a host marked {@code reset: true} (remove-node), it prints k0sctl's
 * reset flow for an existing cluster instead: connect to every host in the file, gather facts,
 * then "Reset workers" or "Reset controllers" (by the role of the marked host) naming that host.
 * There {@code STANDIN_MODE} resetfail fails the reset on that host, unreachable refuses its
 * SSH, slow hangs in the reset phase until interrupted; {@code STANDIN_WARN} adds a warning
 * (a failed etcd leave) for that host.
 */
final class K0sctlStandIn {
    /** A k0s join token (base64 gzip) and a password the stand-in leaks into its output; neither may be shown. */
    static final String JOIN_TOKEN = "H4sIAAAAAAAC/2xVXY+jOBJ9z68Yzbk0cAABC1USECRETJOKECNTOKEN";
    static final String PASSWORD = "hunter2-sudo-secret";
    static final String KUBECONFIG_TOKEN = "k0s-admin-client-secret-42";

    final Path bin;
    final Path argsFile;
    final Path configCopy;

    K0sctlStandIn(Path dir) throws IOException {
        bin = Files.createDirectories(dir.resolve("standin-bin"));
        argsFile = dir.resolve("k0sctl-args");
        configCopy = dir.resolve("k0sctl-config-copy.yaml");
        Path script = bin.resolve("k0sctl");
        Files.writeString(script, script(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** PATH with the stand-in first. */
    String path() {
        return bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    }

    private String script() {
        return """
                #!/bin/sh
                # Test stand-in for k0sctl (NOT k0sctl, NOT K3s): prints k0sctl-shaped output.
                echo "$*" >> "%ARGS%"
                cmd="$1"; shift
                cfg=""; dry=""
                while [ $# -gt 0 ]; do
                  case "$1" in
                    --config) cfg="$2"; shift ;;
                    --dry-run) dry=1 ;;
                  esac
                  shift
                done
                [ -n "$cfg" ] && cp "$cfg" "%COPY%"
                say() { echo "level=$1 msg=\\"$2\\""; }
                if [ "$cmd" = kubeconfig ]; then
                  cat <<EOF
                apiVersion: v1
                clusters:
                - cluster:
                    server: ${STANDIN_API:-https://100.64.0.1:6443}
                  name: testk0s
                contexts:
                - context:
                    cluster: testk0s
                    user: admin
                  name: testk0s
                current-context: testk0s
                kind: Config
                users:
                - name: admin
                  user:
                    token: %KTOKEN%
                EOF
                  exit 0
                fi
                [ "$cmd" = apply ] || { echo "unknown command $cmd" >&2; exit 9; }
                if grep -q '^ *reset: true' "$cfg"; then
                  # an existing cluster with one host marked reset: true (remove-node): k0sctl's reset flow
                  set -- $(awk '/^ *- role:/{role=$3} /^ *privateAddress:/{addr=$2} /^ *reset: true/{print addr, role}' "$cfg")
                  raddr="$1"; rrole="$2"
                  addrs=$(awk '/^ *address:/{print $2}' "$cfg")
                  say info "==> Running phase: Connect to hosts"
                  if [ "$STANDIN_MODE" = unreachable ]; then
                    say error "[ssh] $raddr:22: dial tcp $raddr:22: connect: no route to host"
                    say fatal "failed to connect to 1 hosts"
                    exit 1
                  fi
                  for ip in $addrs; do say info "[ssh] $ip:22: connected"; done
                  say info "==> Running phase: Detect host operating systems"
                  for ip in $addrs; do say info "[ssh] $ip:22: is running Ubuntu 24.04 LTS"; done
                  say info "==> Running phase: Acquire exclusive host lock"
                  say info "==> Running phase: Gather host facts"
                  say info "[ssh] $raddr:22: sudo password=%PASSWORD% accepted"
                  say info "==> Running phase: Validate hosts"
                  say info "==> Running phase: Gather k0s facts"
                  for ip in $addrs; do say info "[ssh] $ip:22: found existing configuration"; done
                  say info "==> Running phase: Validate facts"
                  case "$rrole" in controller*) ph="Reset controllers" ;; *) ph="Reset workers" ;; esac
                  say info "==> Running phase: $ph"
                  say info "[ssh] $raddr:22: draining skipped, node token=%TOKEN% revoked"
                  if [ "$STANDIN_MODE" = resetfail ]; then
                    say error "[ssh] $raddr:22: failed to run k0s reset: Process exited with status 1"
                    say error "apply failed - log file saved to /home/u/.cache/k0sctl/k0sctl.log"
                    say fatal "failed on 1 hosts: [ssh] $raddr:22: failed to run k0s reset"
                    exit 1
                  fi
                  if [ "$STANDIN_MODE" = slow ]; then
                    trap 'say info "* Running clean-up for phase: $ph"; kill $sp 2>/dev/null; exit 1' INT
                    sleep 60 & sp=$!
                    wait $sp
                    exit 3
                  fi
                  if [ -n "$STANDIN_WARN" ]; then
                    say warning "[ssh] $raddr:22: failed to leave etcd: context deadline exceeded"
                  fi
                  say info "[ssh] $raddr:22: reset"
                  say info "==> Running phase: Release exclusive host lock"
                  say info "==> Running phase: Disconnect from hosts"
                  say info "==> Finished in 12s"
                  say info "There were nodes that got uninstalled during the apply phase. Please remove them from your k0sctl config file"
                  exit 0
                fi
                say info "==> Running phase: Connect to hosts"
                if [ "$STANDIN_MODE" = unreachable ]; then
                  say error "[ssh] 100.64.0.2:22: dial tcp 100.64.0.2:22: connect: connection refused"
                  say fatal "failed to connect to 1 hosts"
                  exit 1
                fi
                for ip in 100.64.0.1 100.64.0.2 100.64.0.3; do say info "[ssh] $ip:22: connected"; done
                say info "==> Running phase: Detect host operating systems"
                for ip in 100.64.0.1 100.64.0.2 100.64.0.3; do say info "[ssh] $ip:22: is running Ubuntu 24.04 LTS"; done
                say info "==> Running phase: Gather host facts"
                say info "[ssh] 100.64.0.1:22: using cp1 as hostname"
                say info "[ssh] 100.64.0.2:22: sudo password=%PASSWORD% accepted"
                say info "==> Running phase: Install k0s binaries on hosts"
                for ip in 100.64.0.1 100.64.0.2 100.64.0.3; do say info "[ssh] $ip:22: installing k0s"; done
                say info "==> Running phase: Install controllers"
                if [ "$STANDIN_MODE" = slow ]; then
                  say info "[ssh] 100.64.0.1:22: installing k0s controller"
                  trap 'say info "* Running clean-up for phase: Install controllers"; kill $sp 2>/dev/null; exit 1' INT
                  sleep 60 & sp=$!
                  wait $sp
                  exit 3
                fi
                say info "[ssh] 100.64.0.1:22: installing k0s controller"
                say info "==> Running phase: Install workers"
                say info "[ssh] 100.64.0.2:22: validating api connection to https://100.64.0.1:6443 with join token %TOKEN%"
                say info "[ssh] 100.64.0.3:22: writing join token=%TOKEN%"
                if [ "$STANDIN_MODE" = fail ]; then
                  say error "[ssh] 100.64.0.3:22: failed to start k0sworker: job for k0sworker.service failed (token %TOKEN%)"
                  say info "* Running clean-up for phase: Install workers"
                  say error "apply failed - log file saved to /home/u/.cache/k0sctl/k0sctl.log"
                  say fatal "failed on 1 hosts: [ssh] 100.64.0.3:22: failed to start k0sworker"
                  exit 1
                fi
                say info "[ssh] 100.64.0.2:22: joined"
                say info "[ssh] 100.64.0.3:22: joined"
                say info "==> Running phase: Release exclusive host lock"
                say info "==> Running phase: Disconnect from hosts"
                if [ -n "$dry" ]; then
                  echo "dry-run: cluster state altering actions would be performed:"
                  echo "dry-run: * [ssh] 100.64.0.3:22 :"
                  echo "dry-run:  - install k0s v1.31.3+k0s.0"
                  echo "dry-run:  - join as a worker with token=%TOKEN%"
                  exit 0
                fi
                say info "==> Finished in 42s"
                say info "k0s cluster version v1.31.3+k0s.0 is now installed"
                exit 0
                """.replace("%ARGS%", argsFile.toString()).replace("%COPY%", configCopy.toString())
                .replace("%TOKEN%", JOIN_TOKEN).replace("%PASSWORD%", PASSWORD).replace("%KTOKEN%", KUBECONFIG_TOKEN);
    }
}

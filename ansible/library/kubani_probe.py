#!/usr/bin/python
# -*- coding: utf-8 -*-
# Kubani: read-only host probe. One module run answers every "is it already done?" question a
# role has, so that the tasks which change things can be skipped on the controller when the host
# already matches (a re-run then costs one remote call per role instead of one per check).
#
# A JSON-args module: Ansible pastes the arguments into the source (the marker below), and the
# module needs nothing from Ansible's module_utils. Importing those is most of a small module's
# run time (about 0.1 s of the node's CPU per run); on a Raspberry Pi it is several times that.
# args: <<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kubani_probe
short_description: Read the state of files, small files' contents, commands' output and a TCP port in one call
description:
  - Read-only. Never changes the host; safe in check mode.
  - C(paths) reports type, mode, owner, group and SHA-1 of each existing path (the same fields
    C(stat -c '%F|%a|%U|%G') and C(sha1sum) give), so a role can tell whether a template or copy
    task would change anything.
  - C(read) returns the text of small files (up to 64 KiB each), e.g. /proc/swaps or a sysfs value.
  - C(run) runs commands (argv lists, no shell) and returns rc, stdout and stderr; a command whose
    program is not installed reports C(missing=true) instead of failing.
  - C(connect) tries a TCP connection and reports whether it was accepted.
options:
  paths:
    description: Paths whose state to report; missing paths are left out of the result.
    type: list
    elements: path
    default: []
  paths_from:
    description: JSON manifests on the host (written by kubani_files C(manifest)); every path they
      list is reported like C(paths). A missing or unreadable manifest adds nothing.
    type: list
    elements: path
    default: []
  read:
    description: Files whose text to return; missing or unreadable files are left out.
    type: list
    elements: path
    default: []
  run:
    description: Name to argv list; each command runs without a shell.
    type: dict
    default: {}
  connect:
    description: C(host), C(port) and C(timeout) (seconds) of a TCP connection to try.
    type: dict
  checks:
    description: Checks to run on what was probed, in this order, failing the task with the first
      problem's message (which names the node, the step and the fix) - C(tailscale_ip) is an IPv4
      address inside C(tailscale_network); tailscale is installed, running and logged in
      (needs C(tailscale)); it reports C(tailscale_ip); the interface C(interface) exists; and,
      with C(connect), the first server (C(first_server)) accepted the connection. C(host) is the
      node's name in the inventory.
    type: dict
  facts:
    description: Return C(ansible_facts) with the host facts the roles use (see below), read
      from /etc/os-release, uname and the init process, instead of a separate fact-gathering
      run.
    type: bool
    default: false
  tailscale:
    description: argv of C(tailscale status --json). Its output is parsed here and only the
      fields the roles use are returned (see C(tailscale) below), not the whole status, which
      lists every peer of the tailnet.
    type: list
    elements: str
author: Kubani
"""

RETURN = r"""
files:
  description: path -> {type, mode, owner, group, sha1}; sha1 is "-" for anything but a regular file.
  type: dict
  returned: always
probed:
  description: Every path whose state was looked at (from C(paths) and C(paths_from)), present or
    not, so a caller can tell "missing" from "not asked".
  type: list
  returned: always
contents:
  description: path -> text.
  type: dict
  returned: always
commands:
  description: name -> {rc, stdout, stderr, missing}.
  type: dict
  returned: always
tailscale:
  description: Parsed C(tailscale status --json) - C(missing) (the command is not installed),
    C(rc), C(stderr) (first 500 characters), C(backend_state) (C(Running) when logged in and
    connected), C(ips) (this node's Tailscale IPs), C(dns_name) (its MagicDNS name without the
    trailing dot) and C(magicdns_suffix).
  type: dict
  returned: when tailscale is given
ansible_facts:
  description: With C(facts) - C(system), C(kernel), C(machine), C(architecture), C(os_family),
    C(distribution), C(distribution_version), C(distribution_major_version),
    C(distribution_release), C(service_mgr) and C(pkg_mgr), named and valued as Ansible's own
    fact gathering names them for the distributions Kubani supports (Debian, Ubuntu, Raspberry
    Pi OS, Fedora and the RHEL family, openSUSE, Arch, Alpine).
  type: dict
  returned: when facts is true
connected:
  description: Whether the TCP connection was accepted (absent when connect is not given).
  type: bool
  returned: when connect is given
"""

import grp
import ipaddress
import json
import os
import pwd
import stat
import subprocess
import sys
import time

# SHA-1 from CPython's built-in module: hashlib loads OpenSSL first, about 9 ms of every probe on
# the node (a converged node's whole run is this one probe). Same digests; hashlib elsewhere.
try:
    from _sha1 import sha1 as _new_sha1
except ImportError:  # pragma: no cover - another Python
    from hashlib import sha1 as _new_sha1

# Replaced by the arguments (a bytes literal) when Ansible sends the module; a test or a person
# runs it as `python3 kubani_probe.py ARGS.json` instead, ARGS.json holding {"ANSIBLE_MODULE_ARGS": {...}}.
ARGS_LITERAL = "<<INCLUDE_ANSIBLE_MODULE_COMPLEX_ARGS>>"

SPEC = {
    "paths": (list, []),
    "paths_from": (list, []),
    "read": (list, []),
    "run": (dict, {}),
    "connect": (dict, None),
    "tailscale": (list, None),
    "checks": (dict, None),
    "facts": (bool, False),
}

TYPES = {
    stat.S_IFREG: "regular file",
    stat.S_IFDIR: "directory",
    stat.S_IFLNK: "symbolic link",
    stat.S_IFIFO: "fifo",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "character special file",
    stat.S_IFBLK: "block special file",
}

# Where programs are looked for besides PATH (a non-login SSH session often lacks the sbin ones).
EXTRA_BIN_DIRS = ["/sbin", "/usr/sbin", "/usr/local/sbin"]


def respond(result, failed=False):
    if failed:
        result = dict(result, failed=True)
    print(json.dumps(result))
    sys.exit(1 if failed else 0)


def fail(msg):
    respond({"msg": msg, "changed": False}, failed=True)


def load_args():
    if len(sys.argv) > 1:
        with open(sys.argv[1], "rb") as f:
            data = json.loads(f.read().decode("utf-8"))
        data = data.get("ANSIBLE_MODULE_ARGS", data) if isinstance(data, dict) else data
    else:
        data = json.loads(ARGS_LITERAL)
    if not isinstance(data, dict):
        fail("kubani_probe: the arguments must be a mapping")
    params = {}
    for key, value in data.items():
        if key.startswith("_ansible_"):
            continue
        if key not in SPEC:
            fail("kubani_probe: unsupported parameter '%s' (supported: %s)" % (key, ", ".join(sorted(SPEC))))
        params[key] = value
    for key, (kind, default) in SPEC.items():
        value = params.get(key)
        if value is None:
            params[key] = default
        elif kind is bool:
            if isinstance(value, str) and value.lower() in ("yes", "true", "on", "1", "no", "false", "off", "0"):
                value = value.lower() in ("yes", "true", "on", "1")
            if not isinstance(value, bool):
                fail("kubani_probe: '%s' must be true or false, not %r" % (key, value))
            params[key] = value
        elif not isinstance(value, kind):
            fail("kubani_probe: '%s' must be a %s, not %s" % (key, kind.__name__, type(value).__name__))
    for key in ("paths", "paths_from", "read"):
        params[key] = [str(p) for p in params[key]]
    return params


def _name(lookup, ident):
    try:
        return lookup(ident)[0]
    except KeyError:
        return str(ident)


def file_state(path):
    st = os.lstat(path)
    kind = TYPES.get(stat.S_IFMT(st.st_mode), "unknown")
    if kind == "regular file" and st.st_size == 0:
        kind = "regular empty file"
    sha1 = "-"
    if stat.S_ISREG(st.st_mode):
        digest = _new_sha1()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(65536), b""):
                digest.update(chunk)
        sha1 = digest.hexdigest()
    return {
        "type": kind,
        "mode": "%o" % stat.S_IMODE(st.st_mode),
        "owner": _name(pwd.getpwuid, st.st_uid),
        "group": _name(grp.getgrgid, st.st_gid),
        "sha1": sha1,
    }


def find_program(program):
    """The program's path (PATH, then the sbin directories), or None when it is not installed."""
    if os.path.isabs(program):
        return program if os.path.exists(program) else None
    # Not shutil.which: importing shutil is about 5 ms of the probe's run on the node.
    dirs = os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep) + EXTRA_BIN_DIRS
    for directory in dirs:
        candidate = os.path.join(directory or os.curdir, program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def start(argv):
    """Starts argv without a shell, in the C locale (the callers parse its output). The probe
    starts every command first and collects them after (finish): they run side by side, so the
    probe takes as long as its slowest command, not their sum. None when the program is not
    installed."""
    program = find_program(str(argv[0]))
    if program is None:
        return None
    env = dict(os.environ, LANG="C", LC_ALL="C", LC_MESSAGES="C")
    try:
        return subprocess.Popen([program] + [str(a) for a in argv[1:]], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    except OSError as e:
        return e


def finish(proc):
    """(rc, stdout, stderr) of a command start() began."""
    if isinstance(proc, OSError):
        return 127, "", str(proc)
    stdout, stderr = proc.communicate()
    return proc.returncode, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace")


def tailscale_summary(proc):
    """The few fields the roles check, from tailscale status --json begun by start()."""
    out = {"missing": False, "rc": 0, "stderr": "", "backend_state": "Unknown", "ips": [],
           "dns_name": "", "magicdns_suffix": ""}
    if proc is None:
        out.update(missing=True, rc=127)
        return out
    rc, stdout, stderr = finish(proc)
    out.update(rc=rc, stderr=(stderr or "")[:500])
    if rc != 0:
        return out
    try:
        status = json.loads(stdout)
    except ValueError as e:
        out.update(rc=1, stderr="tailscale status --json printed no JSON: %s" % e)
        return out
    if not isinstance(status, dict):
        status = {}
    me = status.get("Self") if isinstance(status.get("Self"), dict) else {}
    tailnet = status.get("CurrentTailnet") if isinstance(status.get("CurrentTailnet"), dict) else {}
    ips = me.get("TailscaleIPs") or status.get("TailscaleIPs") or []
    out.update(
        backend_state=str(status.get("BackendState") or "Unknown"),
        ips=[str(i) for i in ips] if isinstance(ips, list) else [],
        dns_name=str(me.get("DNSName") or "").rstrip("."),
        magicdns_suffix=str(status.get("MagicDNSSuffix") or tailnet.get("MagicDNSSuffix") or ""),
    )
    return out


# /etc/os-release ID -> Ansible's ansible_distribution.
DISTRIBUTIONS = {
    "debian": "Debian", "raspbian": "Debian", "ubuntu": "Ubuntu", "linuxmint": "Linux Mint",
    "pop": "Pop!_OS", "fedora": "Fedora", "rhel": "RedHat", "centos": "CentOS", "rocky": "Rocky",
    "almalinux": "AlmaLinux", "ol": "OracleLinux", "amzn": "Amazon", "arch": "Archlinux",
    "manjaro": "Archlinux", "opensuse-leap": "openSUSE Leap", "opensuse-tumbleweed": "openSUSE Tumbleweed",
    "sles": "SLES", "alpine": "Alpine",
}
# os-release ID or ID_LIKE word -> Ansible's ansible_os_family.
FAMILIES = {
    "debian": "Debian", "ubuntu": "Debian", "raspbian": "Debian", "fedora": "RedHat", "rhel": "RedHat",
    "centos": "RedHat", "rocky": "RedHat", "almalinux": "RedHat", "ol": "RedHat", "amzn": "RedHat",
    "arch": "Archlinux", "suse": "Suse", "opensuse": "Suse", "sles": "Suse", "alpine": "Alpine",
}
# Package manager programs, in the order Ansible prefers them, and the name of each.
PKG_MGRS = [("apt-get", "apt"), ("dnf5", "dnf5"), ("dnf", "dnf"), ("yum", "yum"), ("zypper", "zypper"),
            ("pacman", "pacman"), ("apk", "apk")]


def os_release():
    for path in ("/etc/os-release", "/usr/lib/os-release"):
        try:
            with open(path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        values = {}
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if sep and key.strip() and not key.lstrip().startswith("#"):
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                    value = value[1:-1]
                values[key.strip()] = value
        return values
    return {}


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read(4096).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def service_manager():
    """systemd when it runs the host (the same markers sd_booted() checks), else PID 1's name."""
    if any(os.path.exists(p) for p in ("/run/systemd/system", "/dev/.run/systemd", "/dev/.systemd")):
        return "systemd"
    comm = read_text("/proc/1/comm")
    if comm and comm != "init" and not comm.endswith("sh"):
        return comm
    if os.path.exists("/sbin/openrc") or os.path.exists("/usr/sbin/openrc"):
        return "openrc"
    return "sysvinit" if os.path.isdir("/etc/init.d") else "service"


def host_facts():
    osr = os_release()
    ident = osr.get("ID", "").lower()
    like = osr.get("ID_LIKE", "").lower().split()
    distribution = DISTRIBUTIONS.get(ident) or osr.get("NAME") or ident.capitalize() or "Unknown"
    family = next((FAMILIES[w] for w in [ident] + like if w in FAMILIES), distribution)
    version = osr.get("VERSION_ID", "")
    if ident in ("debian", "raspbian"):
        # Like Ansible: Debian's point release (12.11) is in /etc/debian_version, not os-release.
        debian_version = read_text("/etc/debian_version")
        if debian_version[:1].isdigit():
            version = debian_version
    uname = os.uname()
    return {
        "system": uname.sysname,
        "kernel": uname.release,
        "machine": uname.machine,
        "architecture": uname.machine,
        "os_family": family,
        "distribution": distribution,
        "distribution_version": version,
        "distribution_major_version": version.split(".")[0] if version else "",
        "distribution_release": osr.get("VERSION_CODENAME") or osr.get("UBUNTU_CODENAME") or "",
        "service_mgr": service_manager(),
        "pkg_mgr": next((name for program, name in PKG_MGRS if find_program(program)), "unknown"),
    }


def _short(text, limit=200):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def first_problem(checks, result):
    """The first failed check's message, or None. Messages name the node, the step and the fix."""
    host = str(checks.get("host") or "this node")
    ip = str(checks.get("tailscale_ip") or "")
    net = str(checks.get("tailscale_network") or "100.64.0.0/10")
    try:
        ok = ipaddress.IPv4Address(ip) in ipaddress.IPv4Network(net, strict=False)
    except ValueError:
        ok = False
    if not ok:
        return ("%s: step 'validate inventory' failed: tailscale_ip '%s' is not an IPv4 address inside "
                "tailscale_network %s. Fix: set tailscale_ip in ansible/inventory/hosts.yml to the address "
                "`tailscale ip -4` prints on that node." % (host, ip, net))
    ts = result.get("tailscale")
    if ts is not None:
        if ts["missing"]:
            return ("%s: step 'tailscale installed' failed: the tailscale command was not found. Fix: install "
                    "Tailscale on %s (see https://tailscale.com/download/linux), run 'sudo tailscale up', then "
                    "re-run." % (host, host))
        if ts["rc"] != 0:
            return ("%s: step 'tailscale running' failed: tailscaled does not answer (%s). Fix: run "
                    "'sudo systemctl enable --now tailscaled' on %s, then re-run." % (host, _short(ts["stderr"]), host))
        if ts["backend_state"] != "Running":
            return ("%s: step 'tailscale logged in' failed: tailscale is not connected (BackendState=%s). Fix: run "
                    "'sudo tailscale up' on %s and log in, then re-run." % (host, ts["backend_state"], host))
        if ip not in ts["ips"]:
            return ("%s: step 'tailscale ip matches inventory' failed: the inventory says tailscale_ip=%s but "
                    "tailscale reports %s. Fix: set tailscale_ip (and ansible_host) for %s in "
                    "ansible/inventory/hosts.yml to the address 'tailscale ip -4' prints there."
                    % (host, ip, ", ".join(ts["ips"]), host))
    iface = checks.get("interface")
    if iface and not os.path.exists(os.path.join("/sys/class/net", str(iface))):
        try:
            names = sorted(os.listdir("/sys/class/net"))
        except OSError:
            names = []
        return ("%s: step 'tailscale interface' failed: interface %s not found (interfaces: %s). Fix: make "
                "sure tailscaled runs in TUN mode (not userspace networking), then re-run."
                % (host, iface, ", ".join(names)))
    if "connected" in result and not result["connected"]:
        first = str(checks.get("first_server") or "the first server")
        return ("%s: step 'reach first server over tailscale' failed: no TCP connection to %s at %s:%s within "
                "%ss (%s). Fix: run 'tailscale ping %s' on %s and check the tailnet ACLs allow it, then re-run."
                % (host, first, checks.get("connect_host"), checks.get("connect_port"), checks.get("connect_timeout"),
                   result.get("connect_error", ""), checks.get("connect_host"), host))
    return None


def try_connect(spec):
    # Imported here: only nodes that dial the first server need it (about 5 ms to import).
    import socket

    timeout = float(spec.get("timeout", 10))
    deadline = time.time() + timeout
    error = ""
    while True:
        try:
            with socket.create_connection((spec["host"], int(spec["port"])), timeout=max(0.5, min(2.0, timeout))):
                return True, ""
        except OSError as e:
            error = str(e)
        if time.time() >= deadline:
            return False, error
        time.sleep(0.5)


def main():
    p = load_args()
    for name, argv in p["run"].items():
        if not isinstance(argv, list) or not argv:
            fail("kubani_probe: run.%s must be a non-empty argv list" % name)
    started = dict((name, start(argv)) for name, argv in p["run"].items())
    tailscale = start(p["tailscale"]) if p["tailscale"] else None
    paths = list(p["paths"])
    for manifest in p["paths_from"]:
        try:
            with open(manifest, "rb") as f:
                listed = json.loads(f.read().decode("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(listed, dict):
            paths.extend(str(k) for k in listed if isinstance(k, str) and os.path.isabs(k))
    paths = list(dict.fromkeys(paths))
    files = {}
    for path in paths:
        if os.path.lexists(path):
            try:
                files[path] = file_state(path)
            except OSError as e:
                fail("cannot read the state of %s: %s" % (path, e))
    contents = {}
    for path in p["read"]:
        try:
            with open(path, "rb") as f:
                contents[path] = f.read(65536).decode("utf-8", "replace")
        except OSError:
            pass
    commands = {}
    for name, proc in started.items():
        if proc is None:
            commands[name] = {"rc": 127, "stdout": "", "stderr": "", "missing": True}
            continue
        rc, out, err = finish(proc)
        commands[name] = {"rc": rc, "stdout": out, "stderr": err, "missing": False}
    result = dict(changed=False, files=files, probed=paths, contents=contents, commands=commands)
    if p["tailscale"]:
        result["tailscale"] = tailscale_summary(tailscale)
    if p["connect"]:
        if "host" not in p["connect"] or "port" not in p["connect"]:
            fail("kubani_probe: connect needs host and port")
        result["connected"], result["connect_error"] = try_connect(p["connect"])
    if p["checks"]:
        checks = dict(p["checks"])
        if p["connect"]:
            checks.update(connect_host=p["connect"].get("host"), connect_port=p["connect"].get("port"),
                          connect_timeout=p["connect"].get("timeout", 10))
        problem = first_problem(checks, result)
        if problem:
            # Only the message: the node stops here, and the probe's data would bury it.
            fail(problem)
    if p["facts"]:
        result["ansible_facts"] = host_facts()
    respond(result)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Kubani: read-only host probe. One module run answers every "is it already done?" question a
# role has, so that the tasks which change things can be skipped on the controller when the host
# already matches (a re-run then costs one remote call per role instead of one per check).
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
connected:
  description: Whether the TCP connection was accepted (absent when connect is not given).
  type: bool
  returned: when connect is given
"""

import grp
import hashlib
import ipaddress
import json
import os
import pwd
import socket
import stat
import time

from ansible.module_utils.basic import AnsibleModule

TYPES = {
    stat.S_IFREG: "regular file",
    stat.S_IFDIR: "directory",
    stat.S_IFLNK: "symbolic link",
    stat.S_IFIFO: "fifo",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "character special file",
    stat.S_IFBLK: "block special file",
}


def _name(lookup, ident):
    try:
        return lookup(ident)[0]
    except KeyError:
        return str(ident)


def file_state(path):
    st = os.lstat(path)
    kind = TYPES.get(stat.S_IFMT(st.st_mode), "unknown")
    if kind == "regular file" and os.path.getsize(path) == 0:
        kind = "regular empty file"
    sha1 = "-"
    if stat.S_ISREG(st.st_mode):
        digest = hashlib.sha1()
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


def _missing(module, program):
    """True when program is neither on the PATH nor an existing absolute path."""
    if os.path.isabs(program):
        return not os.path.exists(program)
    return module.get_bin_path(program) is None


def tailscale_summary(module, argv):
    """Runs tailscale status --json and keeps the few fields the roles check."""
    out = {"missing": False, "rc": 0, "stderr": "", "backend_state": "Unknown", "ips": [],
           "dns_name": "", "magicdns_suffix": ""}
    if _missing(module, argv[0]):
        out.update(missing=True, rc=127)
        return out
    rc, stdout, stderr = module.run_command([str(a) for a in argv])
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
    module = AnsibleModule(
        argument_spec=dict(
            paths=dict(type="list", elements="path", default=[]),
            paths_from=dict(type="list", elements="path", default=[]),
            read=dict(type="list", elements="path", default=[]),
            run=dict(type="dict", default={}),
            connect=dict(type="dict"),
            tailscale=dict(type="list", elements="str"),
            checks=dict(type="dict"),
        ),
        supports_check_mode=True,
    )
    p = module.params
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
                module.fail_json(msg="cannot read the state of %s: %s" % (path, e))
    contents = {}
    for path in p["read"]:
        try:
            with open(path, "rb") as f:
                contents[path] = f.read(65536).decode("utf-8", "replace")
        except OSError:
            pass
    commands = {}
    for name, argv in p["run"].items():
        if not isinstance(argv, list) or not argv:
            module.fail_json(msg="run.%s must be a non-empty argv list" % name)
        argv = [str(a) for a in argv]
        if _missing(module, argv[0]):
            commands[name] = {"rc": 127, "stdout": "", "stderr": "", "missing": True}
            continue
        rc, out, err = module.run_command(argv)
        commands[name] = {"rc": rc, "stdout": out, "stderr": err, "missing": False}
    result = dict(changed=False, files=files, probed=paths, contents=contents, commands=commands)
    if p["tailscale"]:
        result["tailscale"] = tailscale_summary(module, p["tailscale"])
    if p["connect"]:
        result["connected"], result["connect_error"] = try_connect(p["connect"])
    if p["checks"]:
        checks = dict(p["checks"])
        if p["connect"]:
            checks.update(connect_host=p["connect"].get("host"), connect_port=p["connect"].get("port"),
                          connect_timeout=p["connect"].get("timeout", 10))
        problem = first_problem(checks, result)
        if problem:
            # Only the message: the node stops here, and the probe's data would bury it.
            module.fail_json(msg=problem)
    module.exit_json(**result)


if __name__ == "__main__":
    main()

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
connected:
  description: Whether the TCP connection was accepted (absent when connect is not given).
  type: bool
  returned: when connect is given
"""

import grp
import hashlib
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
        if module.get_bin_path(argv[0]) is None and not os.path.isabs(argv[0]):
            commands[name] = {"rc": 127, "stdout": "", "stderr": "", "missing": True}
            continue
        if os.path.isabs(argv[0]) and not os.path.exists(argv[0]):
            commands[name] = {"rc": 127, "stdout": "", "stderr": "", "missing": True}
            continue
        rc, out, err = module.run_command(argv)
        commands[name] = {"rc": rc, "stdout": out, "stderr": err, "missing": False}
    result = dict(changed=False, files=files, probed=paths, contents=contents, commands=commands)
    if p["connect"]:
        result["connected"], result["connect_error"] = try_connect(p["connect"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Kubani: write a role's files in one module run. template/copy cost three remote calls per file
# (a stat, a transfer and the copy module); a role that writes five files paid fifteen. Here the
# controller renders the contents (lookup('kubani_template', ...)) and one run compares and writes them.
#
# A JSON-args module (like kubani_probe): Ansible pastes the arguments into the source (the
# marker below) and nothing is imported from Ansible's module_utils, which saves about 0.1 s of
# the node's CPU per run. The arguments are validated here, and the result never holds them.
# Ansible sends such a module as this one file, so its small argument and reply helpers are
# its own (kubani_probe has the same few lines).
# args: <<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kubani_files
short_description: Make several files, directories and absent paths match in one call
description:
  - Each item of C(files) is compared with what the host has (type, content, mode, owner, group);
    only what differs is changed, so a converged host reports C(changed=false).
  - A file is written atomically: a temporary file in the same directory is written, flushed to
    disk (fsync), given its mode and owner, then renamed over the old one, and the directory is
    synced. A reader sees the old file or the new one, never a half-written one.
  - Items are applied in order, so a directory item can come before the files it holds.
  - Supports check mode (nothing is changed; the result says what would be) and diff mode (a
    diff per changed text file, never for C(secret_content)).
  - C(sysctls) sets kernel parameters whose live value (under /proc/sys) differs, after the
    files, so one run can both persist parameters for boot and apply them now.
  - With C(manifest), the paths of the items are recorded (with their wanted state) in that JSON
    file on the host, so that one C(kubani_probe) with C(paths_from) at the start of a later run
    can read the state of every file Kubani manages there in one call.
options:
  manifest:
    description: JSON file on the host that lists the managed paths (path -> state); created
      (mode 0644, its directory 0755) or updated atomically. Not written in check mode.
    type: path
  observe:
    description: Paths this run does not manage but a later C(kubani_probe) with C(paths_from)
      should report (for example the link C(systemctl enable) creates), recorded in the manifest
      with the state C(observed). Needs C(manifest).
    type: list
    elements: path
    default: []
  sysctls:
    description: Kernel parameter name (e.g. C(net.ipv4.ip_forward)) -> value. A parameter is
      written only when its live value differs (compared with runs of whitespace as one space).
      A parameter the kernel does not have fails the task, naming it (in check mode it is
      reported as to be set, since an earlier step may load its module).
    type: dict
    default: {}
  files:
    description: What each path should be.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: Absolute path.
        type: path
        required: true
      state:
        description: C(file), C(directory) or C(absent) (a file, link or directory tree is removed).
        type: str
        choices: [file, directory, absent]
        default: file
      content:
        description: Text of a file (state C(file)).
        type: str
      secret_content:
        description: Text of a file that holds a secret; masked in every result and never diffed.
        type: str
      mode:
        description: Octal mode as a string, e.g. C("0600").
        type: raw
      owner:
        description: Owner name.
        type: str
        default: root
      group:
        description: Group name.
        type: str
        default: root
author: Kubani
"""

RETURN = r"""
changed_paths:
  description: The paths that were changed (or would be, in check mode), in item order.
  type: list
  returned: always
actions:
  description: path -> what was done (created, content, attributes, removed).
  type: dict
  returned: always
sysctls_changed:
  description: The kernel parameters that were set (or would be, in check mode).
  type: list
  returned: always
manifest_updated:
  description: Whether the manifest file was written (bookkeeping; does not count as changed).
  type: bool
  returned: when manifest is given
"""

import grp
import json
import os
import pwd
import shutil
import stat
import sys
import tempfile

# Replaced by the arguments (a bytes literal) when Ansible sends the module; a test or a person
# runs it as `python3 kubani_files.py ARGS.json`, ARGS.json holding {"ANSIBLE_MODULE_ARGS": {...}}.
ARGS_LITERAL = "<<INCLUDE_ANSIBLE_MODULE_COMPLEX_ARGS>>"

PARAMS = ("files", "manifest", "observe", "sysctls")
ITEM_KEYS = {"path", "state", "content", "secret_content", "mode", "owner", "group"}
STATES = ("file", "directory", "absent")


class ItemError(Exception):
    pass


class Failure(Exception):
    """Ends the run with this message (and the result so far)."""

    def __init__(self, msg, result=None):
        Exception.__init__(self, msg)
        self.result = result or {}


def respond(result, failed=False):
    if failed:
        result = dict(result, failed=True)
    print(json.dumps(result))
    sys.exit(1 if failed else 0)


def load_args():
    if len(sys.argv) > 1:
        with open(sys.argv[1], "rb") as f:
            data = json.loads(f.read().decode("utf-8"))
        data = data.get("ANSIBLE_MODULE_ARGS", data) if isinstance(data, dict) else data
    else:
        data = json.loads(ARGS_LITERAL)
    if not isinstance(data, dict):
        raise Failure("kubani_files: the arguments must be a mapping")
    flags = {"check": bool(data.get("_ansible_check_mode")), "diff": bool(data.get("_ansible_diff"))}
    params = {k: v for k, v in data.items() if not k.startswith("_ansible_")}
    unknown = sorted(set(params) - set(PARAMS))
    if unknown:
        raise Failure("kubani_files: unsupported parameter '%s' (supported: %s)" % (unknown[0], ", ".join(PARAMS)))
    files = params.get("files") or []
    observe = params.get("observe") or []
    sysctls = params.get("sysctls") or {}
    manifest = params.get("manifest")
    if not isinstance(files, list):
        raise Failure("kubani_files: files must be a list of items")
    if not isinstance(observe, list):
        raise Failure("kubani_files: observe must be a list of paths")
    if not isinstance(sysctls, dict):
        raise Failure("kubani_files: sysctls must be a mapping of kernel parameter to value")
    if manifest is not None and not isinstance(manifest, str):
        raise Failure("kubani_files: manifest must be a path")
    if observe and not manifest:
        raise Failure("observe: lists paths to record in the manifest; set manifest as well")
    items = [check_item(i, item) for i, item in enumerate(files)]
    for name, value in sysctls.items():
        if not name or "/" in name or ".." in name or isinstance(value, (dict, list)) or value is None:
            raise Failure("kubani_files: sysctls.%s: give a parameter name such as net.ipv4.ip_forward and a "
                          "plain value" % name)
    params = dict(files=items, observe=[str(o) for o in observe], sysctls={str(k): str(v) for k, v in sysctls.items()},
                  manifest=manifest)
    return params, flags


def check_item(index, item):
    if not isinstance(item, dict):
        raise Failure("kubani_files: files[%d] must be a mapping with path and state" % index)
    unknown = sorted(set(item) - ITEM_KEYS)
    if unknown:
        raise Failure("kubani_files: files[%d]: unsupported key '%s' (supported: %s)"
                      % (index, unknown[0], ", ".join(sorted(ITEM_KEYS))))
    path = item.get("path")
    if not isinstance(path, str) or not path:
        raise Failure("kubani_files: files[%d]: path is required" % index)
    checked = dict(item)
    checked["state"] = item.get("state") or "file"
    if checked["state"] not in STATES:
        raise Failure("kubani_files: files[%d] (%s): state must be one of %s" % (index, path, ", ".join(STATES)))
    for key in ("content", "secret_content"):
        if checked.get(key) is not None and not isinstance(checked[key], str):
            # Never the value itself: it may be a secret.
            raise Failure("kubani_files: files[%d] (%s): %s must be text" % (index, path, key))
    for key in ("owner", "group"):
        value = checked.get(key)
        checked[key] = "root" if value is None else str(value)
    return checked


def parse_mode(item):
    mode = item.get("mode")
    if mode is None:
        return 0o755 if item["state"] == "directory" else 0o644
    if isinstance(mode, int):
        return mode
    text = str(mode).strip()
    try:
        value = int(text, 8)
    except ValueError:
        raise ItemError("%s: mode %r is not octal; write it as a quoted string such as \"0644\"" % (item["path"], mode))
    if value > 0o7777:
        raise ItemError("%s: mode %r is out of range" % (item["path"], mode))
    return value


def ids(item):
    try:
        uid = pwd.getpwnam(item["owner"]).pw_uid
    except KeyError:
        raise ItemError("%s: owner %r does not exist on this host" % (item["path"], item["owner"]))
    try:
        gid = grp.getgrnam(item["group"]).gr_gid
    except KeyError:
        raise ItemError("%s: group %r does not exist on this host" % (item["path"], item["group"]))
    return uid, gid


def current(path, follow):
    """The path's stat result (lstat unless follow), or None when it does not exist."""
    try:
        return os.stat(path) if follow else os.lstat(path)
    except FileNotFoundError:
        return None


def set_attrs(path, mode, uid, gid):
    os.chmod(path, mode)
    os.chown(path, uid, gid)


def attrs_differ(st, mode, uid, gid):
    return stat.S_IMODE(st.st_mode) != mode or st.st_uid != uid or st.st_gid != gid


def fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path, data, mode, uid, gid):
    parent = os.path.dirname(path) or "/"
    if not os.path.isdir(parent):
        raise ItemError("%s: directory %s does not exist; add it as an earlier item with state directory"
                        % (path, parent))
    fd, tmp = tempfile.mkstemp(prefix=".kubani-", dir=parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), mode)
            os.fchown(f.fileno(), uid, gid)
        os.rename(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise
    fsync_dir(parent)


def apply_file(item, check):
    path = item["path"]
    secret = item.get("secret_content") is not None
    text = item["secret_content"] if secret else item.get("content")
    if text is None:
        raise ItemError("%s: state file needs content or secret_content" % path)
    data = text.encode("utf-8")
    mode = parse_mode(item)
    uid, gid = ids(item)
    st = current(path, follow=False)
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise ItemError("%s: is a directory, expected a file; move it away, then re-run" % path)
    before = None
    if st is not None and stat.S_ISREG(st.st_mode):
        with open(path, "rb") as f:
            before = f.read()
    if before is None:
        action = "created" if st is None else "content"
    elif before != data:
        action = "content"
    elif attrs_differ(st, mode, uid, gid):
        action = "attributes"
    else:
        return None, None
    diff = None
    if not secret and action != "attributes":
        old = before.decode("utf-8", "replace") if before is not None else ""
        diff = {"before_header": path if before is not None else "%s (absent)" % path,
                "after_header": path, "before": old, "after": text}
    if not check:
        if action == "attributes":
            set_attrs(path, mode, uid, gid)
        else:
            write_atomically(path, data, mode, uid, gid)
    return action, diff


def apply_directory(item, check):
    path = item["path"]
    mode = parse_mode(item)
    uid, gid = ids(item)
    st = current(path, follow=True)
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise ItemError("%s: exists but is not a directory; move it away, then re-run" % path)
    if st is None:
        action = "created"
    elif attrs_differ(st, mode, uid, gid):
        action = "attributes"
    else:
        return None
    if not check:
        if st is None:
            os.makedirs(path, mode)
        set_attrs(path, mode, uid, gid)
    return action


def apply_absent(item, check):
    path = item["path"]
    if not os.path.lexists(path):
        return None
    if not check:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
        fsync_dir(os.path.dirname(path) or "/")
    return "removed"


def update_manifest(path, items, observe=()):
    """Records each item's path and state, and each observed path, in the JSON manifest; True
    when the file was written."""
    try:
        with open(path, "rb") as f:
            known = json.loads(f.read().decode("utf-8"))
        if not isinstance(known, dict):
            known = {}
    except (OSError, ValueError):
        known = {}
    wanted = dict(known)
    for item in items:
        wanted[item["path"]] = item["state"]
    for observed in observe:
        wanted.setdefault(observed, "observed")
    if wanted == known and os.path.exists(path):
        return False
    parent = os.path.dirname(path) or "/"
    if not os.path.isdir(parent):
        os.makedirs(parent, 0o755)
    data = (json.dumps(wanted, indent=1, sort_keys=True) + "\n").encode("utf-8")
    write_atomically(path, data, 0o644, os.getuid(), os.getgid())
    return True


def sysctl_path(name):
    return "/proc/sys/" + name.replace(".", "/")


def apply_sysctls(sysctls, check):
    """Sets each kernel parameter whose live value differs; returns the names set."""
    changed = []
    for name, value in sysctls.items():
        path = sysctl_path(name)
        try:
            with open(path, "rb") as f:
                live = f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            if check:
                changed.append(name)
                continue
            raise ItemError("kernel parameter %s does not exist on this host (%s); load the kernel module "
                            "that provides it (br_netfilter for net.bridge.*), then re-run" % (name, path))
        if " ".join(live.split()) == " ".join(value.split()):
            continue
        if not check:
            with open(path, "w") as f:
                f.write(value)
        changed.append(name)
    return changed


def run(params, check, want_diff):
    changed_paths = []
    actions = {}
    diffs = []

    def partial():
        return dict(changed=bool(changed_paths), changed_paths=changed_paths, actions=actions)

    for item in params["files"]:
        path = item["path"]
        if not os.path.isabs(path):
            raise Failure("%s: path must be absolute" % path, partial())
        try:
            if item["state"] == "file":
                action, diff = apply_file(item, check)
                if diff is not None:
                    diffs.append(diff)
            elif item["state"] == "directory":
                action = apply_directory(item, check)
            else:
                action = apply_absent(item, check)
        except (ItemError, OSError) as e:
            raise Failure(str(e) if isinstance(e, ItemError) else "%s: %s" % (path, e), partial())
        if action is not None:
            changed_paths.append(path)
            actions[path] = action
    try:
        sysctls_changed = apply_sysctls(params["sysctls"], check)
    except (ItemError, OSError) as e:
        raise Failure("sysctls: %s" % e, partial())
    result = partial()
    result["sysctls_changed"] = sysctls_changed
    result["changed"] = bool(changed_paths or sysctls_changed)
    manifest = params["manifest"]
    if manifest:
        result["manifest_updated"] = False
        if not check:
            try:
                result["manifest_updated"] = update_manifest(manifest, params["files"], params["observe"])
            except (ItemError, OSError) as e:
                raise Failure("%s: cannot record the managed paths: %s" % (manifest, e), result)
    if want_diff and diffs:
        result["diff"] = diffs
    return result


def main():
    try:
        params, flags = load_args()
        result = run(params, flags["check"], flags["diff"])
    except Failure as e:
        respond(dict(e.result, msg=str(e)), failed=True)
    except (OSError, ValueError) as e:
        respond({"msg": "kubani_files: %s" % e, "changed": False}, failed=True)
    respond(result)


if __name__ == "__main__":
    main()

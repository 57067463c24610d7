# -*- coding: utf-8 -*-
# Kubani: controller-side filters shared by the roles.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import stat

from ansible.errors import AnsibleFilterError
from ansible.plugins.filter.encryption import do_unvault


def _mode(item):
    mode = item.get("mode")
    if mode is None:
        return "755" if item.get("state") == "directory" else "644"
    return "%o" % (mode if isinstance(mode, int) else int(str(mode).strip(), 8))


def kubani_files_differ(items, probe):
    """Paths of kubani_files items whose state differs from what kubani_probe reported.

    items: the list given to kubani_files. probe: a kubani_probe result (its ``files`` and
    ``probed``), or just its ``files`` for a probe that was asked for every item's path. A path
    the probe did not look at counts as differing, since nothing is known about it. Returns the
    paths to change, in item order; an empty list means the write can be skipped without a
    remote call.
    """
    if not isinstance(items, list):
        raise AnsibleFilterError("kubani_files_differ expects the list of kubani_files items")
    probe = probe or {}
    if "files" in probe and isinstance(probe.get("files"), dict):
        files = probe["files"]
        probed = set(probe.get("probed") or files.keys())
    else:
        files = probe
        probed = None
    out = []
    for item in items:
        path = item["path"]
        state = item.get("state", "file")
        if probed is not None and path not in probed:
            out.append(path)
            continue
        have = files.get(path)
        if state == "absent":
            if have is not None:
                out.append(path)
            continue
        want = {"mode": _mode(item), "owner": item.get("owner", "root"), "group": item.get("group", "root")}
        if state == "directory":
            want.update(type="directory", sha1="-")
        else:
            text = item.get("secret_content")
            if text is None:
                text = item.get("content", "")
            data = str(text).encode("utf-8")
            want.update(type="regular file" if data else "regular empty file", sha1=hashlib.sha1(data).hexdigest())
        if have != want:
            out.append(path)
    return out


def kubani_local_text(path):
    """The text of a file on the controller as it is on disk ('' when it does not exist).

    Unlike the file lookup it never tries to decrypt Ansible Vault text with the run's vault
    secrets, and unlike a pipe lookup it starts no process.
    """
    try:
        with open(os.path.expanduser(str(path)), "rb") as f:
            return f.read().decode("utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as e:
        raise AnsibleFilterError("%s: cannot be read on the management machine: %s" % (path, e))


def kubani_local_modes(paths):
    """Octal permission strings ('700') of directories on the controller; None for a missing one."""
    out = []
    for path in paths:
        try:
            out.append("%o" % stat.S_IMODE(os.stat(os.path.expanduser(str(path))).st_mode))
        except FileNotFoundError:
            out.append(None)
        except OSError as e:
            raise AnsibleFilterError("%s: cannot be read on the management machine: %s" % (path, e))
    return out


# Decrypted texts of this run, by a digest of (vault text, password, vault id); see kubani_unvault.
_UNVAULTED = {}


def kubani_unvault(text, secret, vaultid="filter_default"):
    """ansible.builtin.unvault, remembered for the rest of the run for text given as a string.

    Each decryption derives the key again (PBKDF2, 10,000 rounds: about 7 ms here), and a
    variable such as k3s_local_copy is templated anew wherever it is used: four times in a
    converged run.
    """
    if not (isinstance(text, str) and isinstance(secret, str) and isinstance(vaultid, str)):
        return do_unvault(text, secret, vaultid)
    key = hashlib.sha256("\0".join((text, secret, vaultid)).encode("utf-8", "surrogatepass")).digest()
    plain = _UNVAULTED.get(key)
    if plain is None:
        plain = _UNVAULTED[key] = do_unvault(text, secret, vaultid)
    return plain


class FilterModule(object):
    def filters(self):
        return {
            "kubani_files_differ": kubani_files_differ,
            "kubani_local_text": kubani_local_text,
            "kubani_local_modes": kubani_local_modes,
            "kubani_unvault": kubani_unvault,
        }

# -*- coding: utf-8 -*-
# Kubani: JSON-lines progress events for the cluster-mgr CLI.
# GNU General Public License v3.0+ is not claimed here; this file is part of Kubani.
"""Notification callback that writes one JSON object per line for each playbook event.

It is enabled in ansible.cfg (callbacks_enabled) but stays inert unless the environment
variable KUBANI_EVENTS names a file to append to, or is "-" for standard output.

Each line has the keys: ts, event, play, task, role, host, msg, ignore_errors, stats, and on
"changed" events of kubani_files tasks also paths.
``msg`` is only set for failed and unreachable results and is replaced by
"censored (no_log)" when the task has no_log. ``paths`` lists the file paths a kubani_files
task changed (paths only, never contents), and is left out for tasks with no_log. No other
result data is ever written.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: kubani_events
type: notification
short_description: JSON-lines playbook events for the Kubani CLI
description:
  - Writes one JSON object per line, flushed per event, to the file named by C(KUBANI_EVENTS)
    (or standard output when it is C(-)). Does nothing when the variable is unset or empty.
  - Events are playbook_start, play_start, task_start, ok, changed, failed, skipped,
    unreachable, stats and playbook_end.
  - Only the module's C(msg) (or a short stderr summary) of failed and unreachable results is
    written, and never for tasks with C(no_log). Changed results of kubani_files also carry
    C(paths), the paths it changed.
requirements:
  - enable in ansible.cfg with C(callbacks_enabled = kubani_events)
options: {}
"""

import json
import os
import sys
import threading
from datetime import datetime, timezone

from ansible.plugins.callback import CallbackBase

CENSORED = "censored (no_log)"
MSG_LIMIT = 2000
STATS_KEYS = ("ok", "changed", "failed", "unreachable", "skipped", "rescued", "ignored")


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "kubani_events"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display=display)
        self._lock = threading.Lock()
        self._out = None
        self._close = False
        self._play = None
        self._task = None
        self._role = None
        target = os.environ.get("KUBANI_EVENTS", "").strip()
        if target == "-":
            self._out = sys.stdout
        elif target:
            parent = os.path.dirname(os.path.abspath(target))
            if not os.path.isdir(parent):
                os.makedirs(parent, mode=0o700, exist_ok=True)
            # Events carry host and task names only; still keep the file private.
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._out = os.fdopen(fd, "a", encoding="utf-8")
            self._close = True

    # -- output ---------------------------------------------------------------------------

    def _emit(self, event, host=None, msg=None, ignore_errors=None, stats=None, task=None, role=None, paths=None):
        if self._out is None:
            return
        record = {
            "ts": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "event": event,
            "play": self._play,
            "task": task if task is not None else self._task,
            "role": role if role is not None else self._role,
            "host": host,
            "msg": msg,
            "ignore_errors": ignore_errors,
            "stats": stats,
        }
        if paths is not None:
            record["paths"] = paths
        line = json.dumps(record, sort_keys=False, ensure_ascii=False)
        with self._lock:
            self._out.write(line + "\n")
            self._out.flush()

    @staticmethod
    def _is_no_log(result):
        data = result._result if isinstance(result._result, dict) else {}
        if data.get("censored") or data.get("_ansible_no_log"):
            return True
        task = getattr(result, "_task", None)
        no_log = getattr(task, "no_log", False) if task is not None else False
        return no_log is True or (isinstance(no_log, str) and no_log.lower() in ("true", "yes", "1"))

    @staticmethod
    def _summary(result):
        data = result._result if isinstance(result._result, dict) else {}
        msg = data.get("msg")
        module_stderr = (data.get("module_stderr") or "").strip()
        if module_stderr and (not msg or "MODULE FAILURE" in str(msg)):
            # e.g. "sudo: a password is required" travels here, not in msg
            msg = ((str(msg) + ": ") if msg else "") + module_stderr.splitlines()[-1]
        if not msg:
            stderr = data.get("stderr") or ""
            if not stderr and data.get("stderr_lines"):
                stderr = "\n".join(data.get("stderr_lines"))
            msg = stderr.strip()
        if not msg and isinstance(data.get("results"), list):
            # A loop: summarise the failed items' messages (never their data).
            parts = [str(r.get("msg")) for r in data["results"]
                     if isinstance(r, dict) and r.get("failed") and r.get("msg")]
            msg = "; ".join(parts)
        if not msg and data.get("rc") not in (None, 0):
            msg = "command exited with rc=%s" % data.get("rc")
        if msg is None:
            return None
        msg = str(msg)
        return msg if len(msg) <= MSG_LIMIT else msg[: MSG_LIMIT - 3] + "..."

    @staticmethod
    def _host(result):
        return result._host.get_name() if getattr(result, "_host", None) else None

    @staticmethod
    def _task_name(task):
        """The task's own name; the role travels separately in "role"."""
        if task is None:
            return None
        name = task.get_name().strip()
        role = getattr(task, "_role", None)
        if role is not None:
            prefix = role.get_name() + " : "
            if name.startswith(prefix):
                name = name[len(prefix):]
        return name

    def _set_task(self, task):
        self._task = self._task_name(task)
        role = getattr(task, "_role", None)
        self._role = role.get_name() if role else None

    # -- playbook level -------------------------------------------------------------------

    def v2_playbook_on_start(self, playbook):
        # The playbook's file name travels in "play" for playbook_start only.
        self._play = os.path.basename(getattr(playbook, "_file_name", "") or "") or None
        self._task = None
        self._role = None
        self._emit("playbook_start")
        self._play = None

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name().strip()
        self._task = None
        self._role = None
        self._emit("play_start", task=None)

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._set_task(task)
        self._emit("task_start")

    def v2_playbook_on_handler_task_start(self, task):
        self._set_task(task)
        self._emit("task_start")

    # -- per host results -----------------------------------------------------------------

    def _task_of(self, result):
        task = getattr(result, "_task", None)
        return self._task_name(task) if task else self._task

    def _role_of(self, result):
        """The role of the result's own task (under the free strategy it differs from the last task_start)."""
        task = getattr(result, "_task", None)
        role = getattr(task, "_role", None) if task is not None else None
        return role.get_name() if role else (None if task is not None else self._role)

    def v2_runner_on_ok(self, result):
        data = result._result if isinstance(result._result, dict) else {}
        changed = bool(data.get("changed", False))
        paths = data.get("changed_paths") if changed else None
        if not (isinstance(paths, list) and all(isinstance(p, str) for p in paths)) or self._is_no_log(result):
            paths = None
        self._emit("changed" if changed else "ok", host=self._host(result), task=self._task_of(result),
                   role=self._role_of(result), paths=paths)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        msg = CENSORED if self._is_no_log(result) else self._summary(result)
        self._emit("failed", host=self._host(result), msg=msg, ignore_errors=bool(ignore_errors),
                   task=self._task_of(result), role=self._role_of(result))

    def v2_runner_on_skipped(self, result):
        self._emit("skipped", host=self._host(result), task=self._task_of(result), role=self._role_of(result))

    def v2_runner_on_unreachable(self, result):
        msg = CENSORED if self._is_no_log(result) else self._summary(result)
        self._emit("unreachable", host=self._host(result), msg=msg, task=self._task_of(result), role=self._role_of(result))

    # -- end ------------------------------------------------------------------------------

    def v2_playbook_on_stats(self, stats):
        summary = {}
        for host in sorted(stats.processed.keys()):
            s = stats.summarize(host)
            # AggregateStats calls failed results "failures".
            summary[host] = {key: int(s.get("failures" if key == "failed" else key, 0)) for key in STATS_KEYS}
        self._play = None
        self._task = None
        self._role = None
        self._emit("stats", stats=summary)
        self._emit("playbook_end")
        if self._close and self._out is not None:
            self._out.close()
            self._out = None

# -*- coding: utf-8 -*-
# Kubani: keeps the controller's forked workers from copying its whole heap.
"""Notification callback that freezes the controller's garbage collector state before each task.

Ansible forks one worker process per host for every task. A forked worker shares the controller's
memory copy-on-write until it writes to a page, and a garbage collection in the worker writes to
every object it visits: one full collection copies most of the controller's heap. ``gc.freeze()``
moves the objects that exist now into a permanent generation that collections skip, so a worker
only copies the pages it really changes. Objects created later are collected as usual.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: kubani_gc
type: notification
short_description: freeze the controller's objects before workers are forked
description:
  - Calls C(gc.freeze()) at the start of each play and each task, so that garbage collections in
    the forked worker processes do not touch (and so copy) the controller's objects. From the
    second play on, it collects garbage first.
  - Has no output and no options.
requirements:
  - enable in ansible.cfg with C(callbacks_enabled = kubani_gc)
options: {}
"""

import gc

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "kubani_gc"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plays = 0

    def v2_playbook_on_play_start(self, play):
        # Collect before freezing, so that garbage is not kept for the whole run; except at the
        # first play, where a collection walks the whole parsed playbook (about 20 ms here) to
        # free a few hundred objects: they are frozen instead.
        if self._plays:
            gc.collect()
        self._plays += 1
        gc.freeze()

    def v2_playbook_on_task_start(self, task, is_conditional):
        gc.freeze()

    def v2_playbook_on_handler_task_start(self, task):
        gc.freeze()

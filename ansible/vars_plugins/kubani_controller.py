# -*- coding: utf-8 -*-
# Kubani: loads the controller caches of the kubani strategies before the playbook is parsed.
"""A vars plugin that provides no variables: it exists to be imported early.

Ansible imports every vars plugin module it finds while it reads the inventory, before it parses
the playbook; strategies are loaded only when the first play starts. Importing this module loads
``strategy_plugins/kubani_linear.py``, which installs the controller caches (see that module)
then, so that parsing the playbook uses them too (above all the faster copy of parsed files), and
freezes the objects that exist at that point (ansible-core's modules and configuration), so that
the garbage collections while the playbook is parsed do not walk them again and again, and makes
those collections rarer (GC_THRESHOLD).

It is not enabled (``REQUIRES_ENABLED``), so Ansible never asks it for variables. On an
ansible-core version the strategies were not checked against, or with ``KUBANI_NO_CACHES=1``,
the strategy installs no cache; the collector settings apply on every version.
"""
from __future__ import annotations

import gc

from ansible.plugins.loader import strategy_loader
from ansible.plugins.vars import BaseVarsPlugin
from ansible.utils.display import Display

DOCUMENTATION = """
    name: kubani_controller
    short_description: loads Kubani's controller caches before the playbook is parsed
    description:
        - Provides no variables and is never enabled; importing it loads the C(kubani_linear)
          strategy plugin, which installs the controller caches, and freezes the objects that
          exist then (C(gc.freeze())) and raises the garbage collector's thresholds.
    author: Kubani contributors
"""

# Collect young objects after 50,000 net allocations instead of 700: Ansible allocates millions of
# short-lived objects per run, and each collection also walks what survived the last ones. About
# 50 ms less per one-host re-run here; the garbage kept in between is a few MB at most, and the
# kubani_gc callback still collects fully between plays.
GC_THRESHOLD = (50000, 20, 20)

try:
    strategy_loader.get("kubani_linear", class_only=True)
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
except Exception as e:  # noqa: BLE001 - an optimisation must never stop a run
    Display().debug("kubani_controller: the kubani strategies' caches were not loaded early: %s" % e)


class VarsModule(BaseVarsPlugin):
    REQUIRES_ENABLED = True

    def get_vars(self, loader, path, entities, cache=True):
        return {}

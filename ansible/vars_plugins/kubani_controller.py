# -*- coding: utf-8 -*-
# Kubani: loads the controller caches of the kubani strategies before the playbook is parsed.
"""A vars plugin that provides no variables: it exists to be imported early.

Ansible imports every vars plugin module it finds while it reads the inventory, before it parses
the playbook; strategies are loaded only when the first play starts. Importing this module loads
``strategy_plugins/kubani_linear.py``, which installs the controller caches (see that module)
then, so that parsing the playbook uses them too (above all the faster copy of parsed files), and
freezes the objects that exist at that point (ansible-core's modules and configuration), so that
the garbage collections while the playbook is parsed do not walk them again and again.

It is not enabled (``REQUIRES_ENABLED``), so Ansible never asks it for variables. When the
strategy cannot be loaded (another ansible-core version, ``KUBANI_NO_CACHES=1``), nothing changes.
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
          exist then (C(gc.freeze())).
    author: Kubani contributors
"""

try:
    strategy_loader.get("kubani_linear", class_only=True)
    gc.freeze()
except Exception as e:  # noqa: BLE001 - an optimisation must never stop a run
    Display().debug("kubani_controller: the kubani strategies' caches were not loaded early: %s" % e)


class VarsModule(BaseVarsPlugin):
    REQUIRES_ENABLED = True

    def get_vars(self, loader, path, entities, cache=True):
        return {}

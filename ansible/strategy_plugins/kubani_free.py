# Kubani: the "free" strategy, with the steps that never touch the node decided in the controller.
"""The free strategy with kubani_linear's controller-side steps (see kubani_linear.py)."""
from __future__ import annotations

import sys

from ansible.plugins.loader import strategy_loader
from ansible.plugins.strategy.free import StrategyModule as FreeStrategyModule

DOCUMENTATION = """
    name: kubani_free
    short_description: free, with controller-only steps decided without forking a worker
    description:
        - Task execution is the same as the C(free) strategy: each host runs through its tasks as
          fast as it can.
        - Steps that never reach the node are settled in the controller process, as in
          C(kubani_linear).
    author: Kubani contributors
"""

DecideOnController = sys.modules[strategy_loader.get("kubani_linear", class_only=True).__module__].DecideOnController


class StrategyModule(DecideOnController, FreeStrategyModule):
    pass

# Kubani: the "linear" strategy, with the steps that never touch the node decided in the controller.
"""The linear strategy, minus a forked worker per host for steps that never reach the node.

Ansible forks a worker process for every host and every step, even for a step whose ``when`` is
false or that only sets a fact. On a small controller that fork is most of the step's cost: the
worker and the controller copy every memory page either of them writes to afterwards. This
strategy (and ``kubani_free``) settle two kinds of step in the controller process instead:

* a step whose ``when`` is false (and that has no loop, ``delegate_to`` or debugger): the
  controller evaluates the condition exactly as the worker would, and reports the same skipped
  result;
* a step of one of the built-in actions that run only on the controller (``debug``,
  ``set_fact``, ``assert``, ``fail``, ``validate_argument_spec``, ``include_tasks``,
  ``include_role``), without loop, retries, async or delegation: Ansible's own TaskExecutor runs
  it in the controller, on a copy of the task, as it would in the worker.

Every other step goes to a worker as usual. Results travel the same queue as a worker's, so
callbacks, ``register``, handlers and statistics see no difference. On Ansible versions this has
not been checked against (see ``CHECKED_VERSIONS``) both strategies are plain linear and free.
"""
from __future__ import annotations

import os

from ansible import constants as C
from ansible.executor.task_executor import TaskExecutor
from ansible.plugins import loader as plugin_loader
from ansible.plugins.strategy.linear import StrategyModule as LinearStrategyModule
from ansible.release import __version__ as ANSIBLE_VERSION
from ansible.template import Templar
from ansible.utils.display import Display

DOCUMENTATION = """
    name: kubani_linear
    short_description: linear, with controller-only steps decided without forking a worker
    description:
        - Task execution is the same as the C(linear) strategy: every host runs a task before any
          host starts the next one.
        - Steps whose C(when) is false, and steps of the built-in actions C(debug), C(set_fact),
          C(assert), C(fail), C(validate_argument_spec), C(include_tasks) and C(include_role), are
          settled in the controller process instead of a worker forked per host.
    author: Kubani contributors
"""

display = Display()

# The ansible-core releases whose TaskExecutor and strategy internals this was checked against.
CHECKED_VERSIONS = ("2.14.",)

# Built-in actions that never use the connection: safe to run in the controller process.
CONTROLLER_ACTIONS = frozenset(
    "ansible.builtin." + name
    for name in ("debug", "set_fact", "assert", "fail", "validate_argument_spec", "include_tasks", "include_role")
)


def _enabled():
    if os.environ.get("KUBANI_STRATEGY_FORK_ALL", "") not in ("", "0"):
        return False
    return ANSIBLE_VERSION.startswith(CHECKED_VERSIONS)


class DecideOnController:
    """Mixin for a StrategyBase subclass: settle controller-only steps without a worker."""

    _kubani_enabled = _enabled()
    _kubani_stdin = None

    def _queue_task(self, host, task, task_vars, play_context):
        if self._kubani_enabled and self._kubani_simple(task):
            result = None
            if task.action in CONTROLLER_ACTIONS:
                result = self._kubani_execute(host, task, task_vars, play_context)
            elif task.when:
                result = self._kubani_skip(host, task, task_vars, play_context)
            if result is not None:
                res, fields = result
                self._queued_task_cache[(host.name, task._uuid)] = {
                    "host": host, "task": task, "task_vars": task_vars, "play_context": play_context}
                self._tqm.send_callback("v2_runner_on_start", host, task)
                self._final_q.send_task_result(host.name, task._uuid, res, task_fields=fields)
                self._pending_results += 1
                return
        super()._queue_task(host, task, task_vars, play_context)

    @staticmethod
    def _kubani_simple(task):
        """No loop, retries, async, delegation or debugger: what the worker would do is plain."""
        return (task.loop is None and not task.loop_with and not task.until and not task.async_val
                and task.delegate_to is None and not task.debugger and not C.ENABLE_TASK_DEBUGGER)

    def _kubani_skip(self, host, task, task_vars, play_context):
        """The skipped result when the step's condition is false, as TaskExecutor._execute
        returns it; None to leave the step to a worker (condition true, or any error, which the
        worker then reports exactly as usual)."""
        try:
            templar = Templar(loader=self._loader, variables=task_vars)
            tempvars = task_vars.copy()
            context = play_context.set_task_and_variable_override(task=task, variables=task_vars, templar=templar)
            context.post_validate(templar=templar)
            if not context.remote_addr:
                context.remote_addr = host.address
            context.update_vars(tempvars)
            if task.evaluate_conditional(templar, tempvars):
                return None
        except Exception as e:  # noqa: BLE001 - the worker reports it
            display.debug("kubani strategy: condition of %s left to a worker: %s" % (task, e))
            return None
        return (dict(changed=False, skipped=True, skip_reason="Conditional result was False",
                     _ansible_no_log=context.no_log), task.dump_attrs())

    def _kubani_execute(self, host, task, task_vars, play_context):
        """Run a controller-only action with Ansible's TaskExecutor in this process, on a copy of
        the task (the executor templates the task in place, which a worker does on its own
        copy)."""
        if DecideOnController._kubani_stdin is None:
            DecideOnController._kubani_stdin = open(os.devnull)
        own = task.copy(exclude_parent=False, exclude_tasks=True)
        executor = TaskExecutor(host, own, task_vars, play_context, DecideOnController._kubani_stdin,
                                self._loader, plugin_loader, self._final_q)
        res = executor.run()
        return res, own.dump_attrs()


class StrategyModule(DecideOnController, LinearStrategyModule):
    pass

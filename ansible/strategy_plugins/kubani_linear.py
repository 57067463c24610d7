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
callbacks, ``register``, handlers and statistics see no difference.

Loading this module also installs two caches in the controller (workers inherit them by fork):

* compiled Jinja templates, keyed on the environment's settings and the template's source:
  ansible-core 2.14 compiles every template string anew each time it is rendered;
* the list of ``vars`` plugins, which 2.14 lists again (globbing the plugin paths) for every
  host, group and step.

``KUBANI_NO_CACHES=1`` leaves both out (for comparison in ``bench/ansible``). On Ansible versions
this has not been checked against (see ``CHECKED_VERSIONS``) both strategies are plain linear and
free, and neither cache is installed.
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
from ansible.vars import plugins as vars_plugins
from jinja2 import Environment
from jinja2.utils import _PassArg

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


def _compile_cache_key(env, source, name, filename, raw, defer_init):
    """Everything Jinja's compile output depends on besides the filter and test registries (the
    same plugin loaders in every environment of this process)."""
    finalize = env.finalize
    autoescape = env.autoescape
    return (type(env), env.code_generator_class, env.block_start_string, env.block_end_string,
            env.variable_start_string, env.variable_end_string, env.comment_start_string,
            env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
            env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, env.optimized, env.is_async,
            tuple(sorted(env.extensions)), autoescape if not callable(autoescape) else id(autoescape),
            finalize is not None, _PassArg.from_obj(finalize) if finalize is not None else None,
            source, name, filename, raw, defer_init)


def _install_compile_cache(limit=4096):
    """Ansible compiles every template string again each time it is templated (Jinja caches
    templates loaded by name, not from_string). A role var referenced by ten steps of a hundred
    hosts is compiled a thousand times; each compile is 1-3 ms here. Cache the compiled code by
    the source and the environment settings that shape the code. Templates are still built fresh
    from the code each time, so nothing rendered is shared."""
    original = Environment.compile
    if getattr(original, "_kubani_cached", False):
        return
    cache = {}

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if not isinstance(source, str):
            return original(self, source, name, filename, raw, defer_init)
        try:
            key = _compile_cache_key(self, source, name, filename, raw, defer_init)
            hash(key)
        except TypeError:
            return original(self, source, name, filename, raw, defer_init)
        code = cache.get(key)
        if code is None:
            code = original(self, source, name, filename, raw, defer_init)
            if len(cache) >= limit:
                cache.clear()
            cache[key] = code
        return code

    compile._kubani_cached = True
    Environment.compile = compile


class _ListedOnce:
    """Stands in for ansible.vars.plugins' vars_loader: all() lists and instantiates the vars
    plugins the first time only. Ansible 2.14 lists them again (a glob of every plugin
    directory) for each inventory source, each host and each step: with twelve hosts about a
    seventh of the controller's time. The plugin set cannot change during a run."""

    def __init__(self, loader):
        self._loader = loader
        self._all = None

    def all(self, *args, **kwargs):
        if args or kwargs:
            return self._loader.all(*args, **kwargs)
        if self._all is None:
            self._all = list(self._loader.all())
        return iter(self._all)

    def __getattr__(self, name):
        return getattr(self._loader, name)


def _install_vars_plugin_list_cache():
    if not isinstance(vars_plugins.vars_loader, _ListedOnce):
        vars_plugins.vars_loader = _ListedOnce(vars_plugins.vars_loader)


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


# Both caches only on the checked versions, like the rest of this plugin; KUBANI_NO_CACHES=1
# turns them off (bench/ansible compares the two).
if DecideOnController._kubani_enabled and os.environ.get("KUBANI_NO_CACHES", "") in ("", "0"):
    _install_compile_cache()
    _install_vars_plugin_list_cache()


class StrategyModule(DecideOnController, LinearStrategyModule):
    pass

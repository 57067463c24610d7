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

Loading this module also installs three caches in the controller (workers inherit them by fork):

* compiled Jinja templates, keyed on the environment's settings and the template's source:
  ansible-core 2.14 compiles every template string anew each time it is rendered;
* the list of ``vars`` plugins, which 2.14 lists again (globbing the plugin paths) for every
  host, group and step;
* what each filter and test name resolves to, which 2.14 asks the plugin loader again for every
  new template environment (nearly one per template).

``KUBANI_NO_CACHES=1`` leaves them out (for comparison in ``bench/ansible``). On Ansible versions
this has not been checked against (see ``CHECKED_VERSIONS``) both strategies are plain linear and
free, and no cache is installed.
"""
from __future__ import annotations

import os

from ansible import constants as C
from ansible.errors import AnsibleError
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


def _install_group_vars_cache():
    """The group_vars/ and host_vars/ files (the built-in host_group_vars plugin) are looked up,
    merged and returned again for every host, group and step: about 500 times per host in a
    provisioning run. Ansible already keeps the list of files it found and their parsed contents
    for the whole run; this keeps the merged result too, per directory and entity list. Other
    vars plugins are called as usual."""
    original = vars_plugins.get_plugin_vars
    if getattr(original, "_kubani_cached", False):
        return
    cache = {}

    def get_plugin_vars(loader, plugin, path, entities):
        if getattr(plugin, "ansible_name", None) != "ansible.builtin.host_group_vars" or not isinstance(path, str):
            return original(loader, plugin, path, entities)
        try:
            key = (path, tuple((type(e).__name__, e.name) for e in entities))
        except (AttributeError, TypeError):
            return original(loader, plugin, path, entities)
        data = cache.get(key)
        if data is None:
            data = original(loader, plugin, path, entities)
            cache[key] = data
        # A new top-level mapping each time, as the plugin itself returns (the values were
        # shared already: Ansible hands out its cached file contents without copying them).
        return dict(data)

    get_plugin_vars._kubani_cached = True
    vars_plugins.get_plugin_vars = get_plugin_vars


def _install_jinja_plugin_cache():
    """Each template environment looks every filter and test name up through the plugin loader
    once (Ansible keeps what it found per environment only, and makes a new environment for
    almost every template). A name Jinja itself provides (default, join, length...) is the
    slowest: the loader imports and scans every filter module of ansible.builtin before it gives
    up. What a name resolves to cannot change during a run, so remember it per loader, misses
    included."""
    for loader in (plugin_loader.filter_loader, plugin_loader.test_loader):
        if getattr(loader.get, "_kubani_cached", False):
            continue
        original = loader.get
        found = {}

        def get(name, *args, _original=original, _found=found, **kwargs):
            if args or kwargs or type(name) is not str:
                return _original(name, *args, **kwargs)
            hit = _found.get(name)
            if hit is None:
                try:
                    hit = (True, _original(name))
                except (AnsibleError, KeyError) as e:
                    hit = (False, e)
                _found[name] = hit
            if hit[0]:
                return hit[1]
            raise hit[1].with_traceback(None)

        get._kubani_cached = True
        loader.get = get


class DecideOnController:
    """Mixin for a StrategyBase subclass: settle controller-only steps without a worker."""

    _kubani_enabled = _enabled()
    _kubani_stdin = None

    def _queue_task(self, host, task, task_vars, play_context):
        if self._kubani_enabled and self._kubani_plain(task):
            result = None
            if task.action in CONTROLLER_ACTIONS and not (task.until or task.async_val):
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
    def _kubani_plain(task):
        """No loop, delegation or debugger: the worker evaluates the condition once, with the
        host's own variables, before anything else (retries and async come after it, so a step
        with ``until`` or ``async`` whose condition is false is skipped exactly the same way)."""
        return (task.loop is None and not task.loop_with and task.delegate_to is None
                and not task.debugger and not C.ENABLE_TASK_DEBUGGER)

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


# The caches only on the checked versions, like the rest of this plugin; KUBANI_NO_CACHES=1
# turns them off (bench/ansible compares the two).
if DecideOnController._kubani_enabled and os.environ.get("KUBANI_NO_CACHES", "") in ("", "0"):
    _install_compile_cache()
    _install_vars_plugin_list_cache()
    _install_jinja_plugin_cache()
    _install_group_vars_cache()


class StrategyModule(DecideOnController, LinearStrategyModule):
    pass

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

Every other step goes to a worker as usual. A controller-settled result reaches the strategy as
a worker's does (pickled and unpickled, then normalised), so callbacks, ``register``, handlers and
statistics see no difference. Before forking a step's workers the controller compiles the step's
template strings once (_kubani_precompile; the workers share the code), and a worker forked after
the controller found the step's ``when`` true takes that result instead of evaluating the
condition a second time (_install_condition_handoff).

Loading this module also installs caches in the controller (workers inherit them by fork).
``vars_plugins/kubani_controller.py`` loads it while Ansible reads the inventory, so they are in
place before the playbook is parsed:

* compiled Jinja templates, keyed on the environment's settings and the template's source:
  ansible-core 2.14 compiles every template string anew each time it is rendered. They are also
  kept between runs (_CodeStore, KUBANI_TEMPLATE_CACHE), compiled so that no filter or test is
  evaluated while compiling;
* the list of ``vars`` plugins, which 2.14 lists again (globbing the plugin paths) for every
  host, group and step;
* what each filter and test name resolves to, which 2.14 asks the plugin loader again for every
  new template environment (nearly one per template);
* the merged group_vars/host_vars of the built-in host_group_vars plugin;
* a copy of parsed files that shares immutable scalars (_copy_parsed), where DataLoader deep-copies
  every file's data each time it hands it out.

``KUBANI_NO_CACHES=1`` leaves them out (for comparison in ``bench/ansible``). On Ansible versions
this has not been checked against (see ``CHECKED_VERSIONS``) both strategies are plain linear and
free, and no cache is installed.
"""
from __future__ import annotations

import atexit
import copy
import datetime
import fcntl
import hashlib
import marshal
import os
import re
import stat
import sys
import tempfile
import types

import jinja2
from multiprocessing.reduction import ForkingPickler as _ForkingPickler
from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.executor.task_executor import TaskExecutor
from ansible.parsing import dataloader
from ansible.parsing.yaml.objects import AnsibleMapping, AnsibleSequence, AnsibleUnicode
from ansible.executor.task_result import TaskResult
from ansible.playbook.task import Task
from ansible.plugins import loader as plugin_loader
from ansible.plugins.strategy.linear import StrategyModule as LinearStrategyModule
from ansible.release import __version__ as ANSIBLE_VERSION
from ansible.template import JINJA2_OVERRIDE, Templar, _escape_backslashes, is_possibly_template
from ansible.utils.unsafe_proxy import AnsibleUnsafe
from ansible.utils.display import Display
from ansible.vars import plugins as vars_plugins
from jinja2 import Environment, nodes
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
    same plugin loaders in every environment of this process). Not env.optimized: the code is
    always compiled with the optimizer off (_install_compile_cache)."""
    finalize = env.finalize
    autoescape = env.autoescape
    return (type(env), env.code_generator_class, env.block_start_string, env.block_end_string,
            env.variable_start_string, env.variable_end_string, env.comment_start_string,
            env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
            env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, env.is_async,
            tuple(sorted(env.extensions)), autoescape if not callable(autoescape) else id(autoescape),
            finalize is not None, _PassArg.from_obj(finalize) if finalize is not None else None,
            source, name, filename, raw, defer_init)


def _qualname(obj):
    return "%s.%s" % (getattr(obj, "__module__", "?"), getattr(obj, "__qualname__", repr(obj)))


def _stable_digest(env, key):
    """The in-memory key as text that is the same in every process, hashed; None when the
    environment has something without a stable text (an autoescape function, known by its id)."""
    if callable(env.autoescape):
        return None
    parts = []
    for part in key:
        if isinstance(part, type):
            parts.append(_qualname(part))
        elif isinstance(part, _PassArg):
            parts.append(part.name)
        elif part is None or isinstance(part, (str, bool, int, tuple)):
            parts.append(repr(part))
        else:
            return None
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _pass_kind(mapping, name):
    """How Jinja's code generator calls this filter or test: with the context, the eval context,
    the environment or nothing ("plain"), or "missing" when it does not resolve. Compiled code
    depends on it, so a stored template is reused only while every name it uses resolves the same."""
    try:
        func = mapping[name]
    except Exception:  # noqa: BLE001 - Ansible raises TemplateSyntaxError for an unknown name
        return "missing"
    kind = _PassArg.from_obj(func)
    return kind.name if kind is not None else "plain"


class _CodeStore:
    """Compiled template code kept on disk between runs (one file, read once per run before any
    worker is forked, written once at exit when this run compiled something new; what a worker
    compiles reaches it through a file per template that the main process merges).

    A re-run compiles the same templates as the run before it (about 150 for site.yml on one host,
    a seventh of a converged re-run here). No filter or test is called while compiling (see
    _not_constant), so the code is a function of the template text alone. Each entry also records
    the kind of every filter and test it calls (see _pass_kind) and is only used while they
    resolve the same.

    The file holds compiled template text of the playbooks, roles and variables, so it is written
    with mode 0600 (in a directory of mode 0700 when this creates it), and it is code: it is only
    read or written when the file and the directory belong to this user and nobody else can
    write to them. Anything unexpected (a torn or foreign file, another version of Python, Jinja
    or Ansible) is a miss, never an error.
    """

    MAGIC = "kubani-jinja-code 2"
    SIDE_PREFIX = ".worker-"

    def __init__(self, directory, limit=2048):
        self.directory = directory
        self.limit = limit
        self.path = os.path.join(directory, "templates-py%d.%d.bin" % sys.version_info[:2])
        self.header = ("%s python=%s jinja=%s ansible=%s\n" % (
            self.MAGIC, sys.version.split()[0], jinja2.__version__, ANSIBLE_VERSION)).encode("ascii", "replace")
        self.entries = {}
        self.used = set()
        self.added = 0
        self.pid = os.getpid()

    @staticmethod
    def _trusted(st):
        """Owned by this user and writable by nobody else. (The files themselves are created
        with mode 0600, and a directory this creates gets 0700.)"""
        return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)

    def _directory_ok(self):
        try:
            st = os.stat(self.directory)
        except OSError:
            return False
        return stat.S_ISDIR(st.st_mode) and self._trusted(st)

    def _read(self, path):
        """The unmarshalled body of a store file after the header, or None."""
        try:
            with open(path, "rb") as f:
                st = os.fstat(f.fileno())
                if not (stat.S_ISREG(st.st_mode) and self._trusted(st)):
                    return None
                if f.readline() != self.header:
                    return None
                return marshal.loads(f.read())
        except (OSError, ValueError, EOFError, TypeError):
            return None

    def load(self):
        """Read the file once, in the main process before any worker is forked, so that workers
        share what it holds."""
        if self._directory_ok():
            data = self._read(self.path)
            if isinstance(data, dict):
                self.entries = data

    def get(self, digest, env):
        entry = self.entries.get(digest)
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], types.CodeType)):
            return None
        code, uses = entry
        try:
            for is_filter, name, kind in uses:
                if _pass_kind(env.filters if is_filter else env.tests, name) != kind:
                    return None
        except (TypeError, ValueError):
            return None
        self.used.add(digest)
        return code

    def put(self, digest, code, uses):
        self.entries[digest] = (code, uses)
        if os.getpid() != self.pid:
            # A worker (templating a step's arguments for its host) ends without running exit
            # handlers: it leaves what it compiled in a file per template for the main process
            # (not synced: a torn one is discarded when read). Workers of other hosts that
            # compile the same template find the file there already.
            side = os.path.join(self.directory, self.SIDE_PREFIX + digest)
            if not os.path.exists(side):
                self._write(side, (digest, code, uses), sync=False)
            return
        self.used.add(digest)
        self.added += 1

    def _write(self, path, body, sync=True):
        """Atomically write header and body to path (temp file, optional fsync, rename).
        Returns whether it did; never raises."""
        tmp = None
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            if not self._directory_ok():
                return False
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.directory)
            with os.fdopen(fd, "wb") as f:
                f.write(self.header)
                f.write(marshal.dumps(body))
                if sync:
                    f.flush()
                    os.fsync(f.fileno())
            os.replace(tmp, path)
            tmp = None
            return True
        except (OSError, ValueError) as e:
            display.debug("kubani: template code not stored in %s: %s" % (self.directory, e))
            return False
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def usable(self):
        """Whether the directory is (or can be made) one this store reads and writes."""
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
        except OSError:
            return False
        return self._directory_ok()

    def _worker_files(self):
        try:
            return [os.path.join(self.directory, n) for n in os.listdir(self.directory) if n.startswith(self.SIDE_PREFIX)]
        except OSError:
            return []

    def _merge(self, paths):
        """Take in what workers left (see put); unreadable files are dropped with the rest."""
        for path in paths:
            body = self._read(path)
            if (isinstance(body, tuple) and len(body) == 3 and isinstance(body[0], str)
                    and isinstance(body[1], types.CodeType)):
                self.entries[body[0]] = (body[1], body[2])
                self.used.add(body[0])
                self.added += 1

    def save(self):
        """At exit of the main process: merge the workers' entries and write the file (temp
        file, fsync, rename, under a lock) when this run added any. Over the limit, only this
        run's entries are kept. Never raises: it is a cache."""
        if os.getpid() != self.pid:
            return
        workers = self._worker_files()
        if not (self.added or workers):
            return
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            if not self._directory_ok():
                return
            lock = os.open(os.path.join(self.directory, ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)
            return  # another run is writing it now; its copy serves as well
        try:
            self._merge(workers)
            entries = self.entries
            if len(entries) > self.limit:
                entries = {k: v for k, v in entries.items() if k in self.used}
            if self.added and self._write(self.path, entries):
                for path in workers:
                    try:
                        os.unlink(path)
                    except OSError:
                        pass
        finally:
            os.close(lock)


def _template_cache_dir():
    """KUBANI_TEMPLATE_CACHE: the directory of the stored template code ("0" or "off": none);
    by default .templates next to the ansible.cfg in use (ansible/.templates), else
    ~/.ansible/kubani-templates."""
    value = os.environ.get("KUBANI_TEMPLATE_CACHE")
    if value is not None:
        return None if value.strip().lower() in ("", "0", "off", "false", "no") else os.path.expanduser(value)
    if C.CONFIG_FILE:
        return os.path.join(os.path.dirname(os.path.abspath(C.CONFIG_FILE)), ".templates")
    return os.path.expanduser("~/.ansible/kubani-templates")


def _not_constant(eval_ctx=None):
    """Stands in for a filter or test node's as_const. Jinja's code generator calls a filter or
    test on literal arguments while it compiles and writes the result into the code (the optimizer
    does too, but the generator does it for output even without it). For code compiled once per
    render, as Ansible does, that is the same as calling it at render; for code kept and reused it
    would freeze the value of ``'x' | password_hash``, a random choice or a timestamp for every
    later render, host and run. So filters and tests are left to the render."""
    raise nodes.Impossible()


# Filters that call another filter or test named by a string argument: which argument, and
# whether it names a filter (True) or a test (False).
_NAMING_FILTERS = {"map": (0, True), "select": (0, False), "reject": (0, False),
                   "selectattr": (1, False), "rejectattr": (1, False)}


def _named_by_argument(node):
    """(is_filter, name) of the filter or test a ``map('replace', ...)``, ``select('match', ...)``
    or ``selectattr('x', 'defined')`` calls by name, or None. Jinja looks that name up when the
    template is rendered, not when it is compiled, so without this each worker would look it up
    again (a Jinja builtin such as ``replace`` goes through every filter module of
    ansible.builtin first: about 10 ms per name and worker here)."""
    if not isinstance(node, nodes.Filter) or node.name not in _NAMING_FILTERS:
        return None
    index, is_filter = _NAMING_FILTERS[node.name]
    if len(node.args) <= index:
        return None
    arg = node.args[index]
    if isinstance(arg, nodes.Const) and isinstance(arg.value, str) and arg.value:
        return (is_filter, arg.value)
    return None


def _install_compile_cache(limit=4096, store=None):
    """Ansible compiles every template string again each time it is templated (Jinja caches
    templates loaded by name, not from_string). A role var referenced by ten steps of a hundred
    hosts is compiled a thousand times; each compile is 1-3 ms here. Cache the compiled code by
    the source and the environment settings that shape the code, in memory and, with a store
    (_CodeStore), on disk for the next run. Filters and tests are not evaluated while compiling
    (_not_constant), so a cached template calls every filter when it is rendered, as a fresh one
    does. Templates are still built fresh from the code each time, so nothing rendered is
    shared."""
    original = Environment.compile
    if getattr(original, "_kubani_cached", False):
        return
    cache = {}

    def compile_unoptimized(env, source, name, filename, raw, defer_init):
        """The code and the filters and tests it calls, compiled with the optimizer off and with
        no filter or test call evaluated while compiling (see _not_constant)."""
        ast = env.parse(source, name, filename)
        names = set()
        for node in ast.find_all((nodes.Filter, nodes.Test)):
            node.as_const = _not_constant
            if node.name is not None:
                names.add((isinstance(node, nodes.Filter), node.name))
                named = _named_by_argument(node)
                if named is not None:
                    names.add(named)
        optimized = env.optimized
        env.optimized = False
        try:
            code = original(env, ast, name, filename, raw, defer_init)
        finally:
            env.optimized = optimized
        uses = tuple((is_filter, n, _pass_kind(env.filters if is_filter else env.tests, n))
                     for is_filter, n in sorted(names))
        if C.DEFAULT_DEBUG:
            # Names only: the template text may hold values from the inventory.
            display.debug("kubani: compiled a template calling %s"
                          % (", ".join(n for _f, n, _k in uses) or "no filter or test"))
        return code, uses

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
            digest = _stable_digest(self, key) if (store is not None and not raw) else None
            if digest is not None:
                code = store.get(digest, self)
            if code is None:
                code, uses = compile_unoptimized(self, source, name, filename, raw, defer_init)
                if digest is not None:
                    store.put(digest, code, uses)
            if len(cache) >= limit:
                cache.clear()
            cache[key] = code
        return code

    compile._kubani_cached = True
    Environment.compile = compile
    if store is not None:
        store.load()
        atexit.register(store.save)


# (task uuid, host name) whose condition the controller found true just before forking that
# host's worker for the step; None at any other time (see _install_condition_handoff).
_CONDITION_HELD = [None]


def _install_condition_handoff():
    """The controller evaluates a step's ``when`` for each host before it forks a worker
    (DecideOnController._kubani_skip), and the worker would evaluate it again, with the same
    variables, before running the step: for the steps that change a node the conditions are the
    heavy ones (what the probe found against what the role wants; 13% of the workers' time in a
    profile of a twelve-host first run). The worker forked right after a true result takes it as
    settled: its first evaluation of that task's own condition, for that host, returns True
    without templating it again. Every other evaluation (changed_when, failed_when, until, other
    tasks, the controller's own) is untouched, and a condition the controller could not evaluate
    is evaluated by the worker as usual. Ansible itself evaluates a step's condition once per
    host; this keeps it at once."""
    original = Task.evaluate_conditional
    if getattr(original, "_kubani_handoff", False):
        return

    def evaluate_conditional(self, templar, all_vars):
        held = _CONDITION_HELD[0]
        if held is not None and held == (self._uuid, all_vars.get("inventory_hostname")):
            _CONDITION_HELD[0] = None
            return True
        return original(self, templar, all_vars)

    evaluate_conditional._kubani_handoff = True
    Task.evaluate_conditional = evaluate_conditional


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


# Values of these types are immutable: a copy of a parsed file can share them.
_IMMUTABLE = frozenset((AnsibleUnicode, str, int, float, bool, type(None), bytes, datetime.date, datetime.datetime))


def _copy_parsed(obj, memo=None):
    """copy.deepcopy for what Ansible's YAML loader returns, several times faster.

    DataLoader keeps every parsed file and hands out a deep copy at each load, so that callers
    may change it: a role imported thirteen times (k3s_common) is copied thirteen times, about a
    third of the time it takes to parse site.yml. deepcopy also copies every string of the file
    (each an AnsibleUnicode with its position), which cannot change. This copies the mappings and
    sequences (with their positions) and shares the immutable scalars; anything else (a vault
    value, a set, a plain dict from JSON) goes to copy.deepcopy. Aliases and cycles come out as
    deepcopy makes them (memo by identity).
    """
    if memo is None:
        memo = {}
    kind = type(obj)
    if kind in _IMMUTABLE:
        return obj
    if kind is AnsibleMapping or kind is AnsibleSequence:
        done = memo.get(id(obj))
        if done is not None:
            return done
        new = kind()
        memo[id(obj)] = new
        if kind is AnsibleMapping:
            for key, value in obj.items():
                new[_copy_parsed(key, memo)] = _copy_parsed(value, memo)
        else:
            new.extend(_copy_parsed(value, memo) for value in obj)
        new.__dict__.update(obj.__dict__)  # the position in the file (ansible_pos)
        return new
    return copy.deepcopy(obj, memo)


def _install_fast_parsed_copy():
    """DataLoader's only use of the copy module is the deep copy of a cached file's data."""
    if getattr(dataloader.copy, "_kubani", False):
        return
    dataloader.copy = types.SimpleNamespace(deepcopy=_copy_parsed, _kubani=True)


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
    for kind, loader in (("filter", plugin_loader.filter_loader), ("test", plugin_loader.test_loader)):
        if getattr(loader.get, "_kubani_cached", False):
            continue
        original = loader.get
        found = {}

        def get(name, *args, _original=original, _found=found, _kind=kind, **kwargs):
            if args or kwargs or type(name) is not str:
                return _original(name, *args, **kwargs)
            hit = _found.get(name)
            if hit is None:
                if C.DEFAULT_DEBUG:
                    display.debug("kubani: looking up the %s %s" % (_kind, name))
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


# Names a template may use as variables (an over-approximation: only names that are variables
# holding a template string are acted on).
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _template_strings(value, env, found, depth=0):
    """The strings in value (mappings, sequences, nested) that Ansible would hand to Jinja, as
    Templar.do_template passes them to Environment.compile."""
    if depth > 20:
        return
    if isinstance(value, str):
        if (not isinstance(value, AnsibleUnsafe) and not value.startswith(JINJA2_OVERRIDE)
                and is_possibly_template(value, env)):
            found.add(_escape_backslashes(value, env))
    elif isinstance(value, dict):
        for k, v in value.items():
            _template_strings(k, env, found, depth + 1)
            _template_strings(v, env, found, depth + 1)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _template_strings(v, env, found, depth + 1)


class DecideOnController:
    """Mixin for a StrategyBase subclass: settle controller-only steps without a worker."""

    _kubani_enabled = _enabled()
    _kubani_stdin = None
    _kubani_templar = None
    _kubani_precompiled = None

    def _kubani_precompile(self, task, task_vars):
        """Compile, in the controller, the template strings a worker renders for this step, once
        per step and before its first worker is forked: its arguments, vars, loop and environment,
        and the values of the variables they name that are templates themselves (a role default
        such as ``{{ groups['control_plane'] | first }}``), to a few levels. Each host's worker
        would otherwise compile the same strings again (on twelve hosts, twelve times each: 315
        compiles of 29 templates in a twelve-host first run of site.yml). Only compiled code is
        shared, never a rendered value: each worker still renders with its own host's variables.
        A string that does not compile is left to the worker, which reports it as usual."""
        if not getattr(Environment.compile, "_kubani_cached", False):
            return
        if self._kubani_precompiled is None:
            self._kubani_precompiled = set()
        if task._uuid in self._kubani_precompiled:
            return
        self._kubani_precompiled.add(task._uuid)
        display.debug("kubani strategy: compiling ahead for %s" % task)
        try:
            if self._kubani_templar is None:
                self._kubani_templar = Templar(loader=self._loader)
            env = self._kubani_templar.environment
            found = set()
            for value in (task.args, task.vars, task.loop, task.environment):
                _template_strings(value, env, found)
            # Then the template values of the variables those name, three levels deep.
            names = set()
            level = set(found)
            for _depth in range(3):
                named = {n for source in level for n in _NAME.findall(source)} - names
                names |= named
                values = set()
                for name in named:
                    _template_strings(task_vars.get(name), env, values)
                level = values - found
                found |= level
        except Exception as e:  # noqa: BLE001 - only a head start for the workers
            display.debug("kubani strategy: templates of %s not compiled ahead: %s" % (task, e))
            return
        for source in found:
            try:
                env.compile(source)
            except Exception:  # noqa: BLE001, S112 - the worker compiles it again and reports it
                continue

    def _queue_task(self, host, task, task_vars, play_context):
        held = None
        if self._kubani_enabled and self._kubani_plain(task):
            result = None
            if task.action in CONTROLLER_ACTIONS and not (task.until or task.async_val):
                result = self._kubani_execute(host, task, task_vars, play_context)
            elif task.when:
                result = self._kubani_skip(host, task, task_vars, play_context)
                if result is True:
                    held = (task._uuid, host.name)
                    result = None
            if result is not None:
                res, fields = result
                self._queued_task_cache[(host.name, task._uuid)] = {
                    "host": host, "task": task, "task_vars": task_vars, "play_context": play_context}
                self._tqm.send_callback("v2_runner_on_start", host, task)
                self._kubani_deliver(host, task, res, fields)
                self._pending_results += 1
                return
        if self._kubani_enabled:
            self._kubani_precompile(task, task_vars)
        # The worker forked below takes the condition as settled (see _install_condition_handoff).
        _CONDITION_HELD[0] = held
        try:
            super()._queue_task(host, task, task_vars, play_context)
        finally:
            _CONDITION_HELD[0] = None

    def _kubani_deliver(self, host, task, res, fields):
        """Hand the result to the strategy as the results thread does with a worker's, without
        the trip through the results queue and that thread (a millisecond or two per step, spent
        polling). It is pickled and unpickled as the queue would, so it shares nothing with the
        controller's variables. Order is kept: a host's next step is only queued after this
        result is processed, and results of different hosts have no order."""
        result = _ForkingPickler.loads(_ForkingPickler.dumps(TaskResult(host.name, task._uuid, res, task_fields=fields)))
        self.normalize_task_result(result)
        with self._results_lock:
            self._results.append(result)

    @staticmethod
    def _kubani_plain(task):
        """No loop, delegation or debugger: the worker evaluates the condition once, with the
        host's own variables, before anything else (retries and async come after it, so a step
        with ``until`` or ``async`` whose condition is false is skipped exactly the same way)."""
        return (task.loop is None and not task.loop_with and task.delegate_to is None
                and not task.debugger and not C.ENABLE_TASK_DEBUGGER)

    def _kubani_skip(self, host, task, task_vars, play_context):
        """The skipped result when the step's condition is false, as TaskExecutor._execute
        returns it; True when it holds (the step goes to a worker, which then takes the condition
        as settled); None on any error (the worker evaluates the condition again and reports the
        error exactly as usual)."""
        try:
            templar = Templar(loader=self._loader, variables=task_vars)
            tempvars = task_vars.copy()
            context = play_context.set_task_and_variable_override(task=task, variables=task_vars, templar=templar)
            context.post_validate(templar=templar)
            if not context.remote_addr:
                context.remote_addr = host.address
            context.update_vars(tempvars)
            if task.evaluate_conditional(templar, tempvars):
                return True
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


if DecideOnController._kubani_enabled:
    _install_condition_handoff()

# The caches only on the checked versions, like the rest of this plugin; KUBANI_NO_CACHES=1
# turns them off (bench/ansible compares the two).
if DecideOnController._kubani_enabled and os.environ.get("KUBANI_NO_CACHES", "") in ("", "0"):
    _store_dir = _template_cache_dir()
    _store = _CodeStore(_store_dir) if _store_dir else None
    if _store is not None and os.environ.get("KUBANI_TEMPLATE_CACHE") and not _store.usable():
        display.warning("KUBANI_TEMPLATE_CACHE=%s is not a directory of yours that only you can write, and one cannot "
                        "be made there: templates are not kept between runs. Fix: name such a directory, or set "
                        "KUBANI_TEMPLATE_CACHE=off." % _store_dir)
    _install_compile_cache(store=_store)
    _install_vars_plugin_list_cache()
    _install_jinja_plugin_cache()
    _install_group_vars_cache()
    _install_fast_parsed_copy()


class StrategyModule(DecideOnController, LinearStrategyModule):
    pass

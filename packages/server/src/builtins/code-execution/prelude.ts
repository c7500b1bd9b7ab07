/**
 * Python run once per interpreter, after loading. It removes Pyodide's handles on its own JavaScript API
 * (`pyodide_js`: package loading, file-system mounts), refuses `micropip`, the FFI-based HTTP helpers and
 * subprocesses, and defines `run(code)`: one program in a fresh namespace, its result as JSON, and afterwards
 * the interpreter put back as it was (the next program may be another user's).
 */
export const PRELUDE = `
import builtins, json, os, posix, shutil, sys, traceback
from pyodide.code import eval_code

_REFUSED = {
    "micropip": "installing packages is not possible in the code sandbox (no network)",
    "pyodide_js": "Pyodide's JavaScript API (and so asyncio event loops) is not available in the code sandbox",
    "pyodide.http": "the code sandbox has no network access",
    "pyodide.console": "Pyodide's console is not available in the code sandbox",
}

def _refused(name):
    for prefix, reason in _REFUSED.items():
        if name == prefix or name.startswith(prefix + "."):
            return reason
    return None

class _RefuseImports:
    """Meta-path finder refusing modules that reach the network or Pyodide's JavaScript API."""
    def find_spec(self, name, path=None, target=None):
        reason = _refused(name)
        if reason:
            raise ImportError(f"No module named '{name}': {reason}", name=name)
        return None

for _name in [n for n in sys.modules if _refused(n)]:
    del sys.modules[_name]
sys.meta_path.insert(0, _RefuseImports())

def _no_processes(*args, **kwargs):
    raise OSError("subprocesses are not available in the code sandbox")

# Emscripten's system() would call Node's child_process (disabled in the worker, so the interpreter would
# break): refuse it in Python first.
os.system = posix.system = _no_processes

def _no_scheduling(*args, **kwargs):
    raise RuntimeError("event loops and timers are not available in the code sandbox")

# Work scheduled on the JS event loop would run after the program's time limit, between programs.
import pyodide.webloop
pyodide.webloop.scheduleCallback = _no_scheduling

_BASE_MODULES = dict(sys.modules)
_BASE_DICTS = {name: dict(vars(m)) for name, m in _BASE_MODULES.items() if hasattr(m, "__dict__")}
_BASE_PATH = list(sys.path)
_BASE_META_PATH = list(sys.meta_path)
_SCRATCH = {d: set(os.listdir(d)) for d in ("/tmp", "/home/pyodide")}
_FILENAME = "<code>"

def _changed(current, saved):
    # identity, not ==: a program's objects may define __eq__
    return len(current) != len(saved) or any(current.get(k, _changed) is not v for k, v in saved.items())

def _restore(_vars=vars, _sys=sys, _os=os, _rmtree=shutil.rmtree):
    """Undo what a program left behind: imported modules, changed module attributes, builtins, scratch files."""
    for name, saved in _BASE_DICTS.items():
        current = _vars(_BASE_MODULES[name])
        if _changed(current, saved):
            current.clear()
            current.update(saved)
    _sys.modules.clear()
    _sys.modules.update(_BASE_MODULES)
    _sys.path[:] = _BASE_PATH
    _sys.meta_path[:] = _BASE_META_PATH
    for directory, kept in _SCRATCH.items():
        for entry in set(_os.listdir(directory)) - kept:
            path = directory + "/" + entry
            _rmtree(path) if _os.path.isdir(path) and not _os.path.islink(path) else _os.remove(path)
    _os.chdir("/home/pyodide")

def _traceback(error, _format=traceback.format_exception):
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != _FILENAME:
        tb = tb.tb_next
    return "".join(_format(type(error), error, tb))

def run(code, _dumps=json.dumps, _eval=eval_code, _repr=repr, _builtins=builtins):
    namespace = {"__name__": "__main__", "__builtins__": _builtins}
    try:
        _restore()  # also before: undo anything a JS callback of an earlier program changed since
        value = _eval(code, namespace, filename=_FILENAME)
        out = {"ok": True}
        if value is not None:
            out["value"] = _repr(value)
    except BaseException as error:  # KeyboardInterrupt (time limit), MemoryError and SystemExit included
        out = {"ok": False, "error": _traceback(error), "errorType": type(error).__name__}
    finally:
        namespace.clear()
        _restore()
    return _dumps(out)
`;

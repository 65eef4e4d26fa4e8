"""Runs one model file: fresh globals, labels from its assignments, names from its globals, errors."""
import ast
import builtins
import json
import os
import sys
import traceback
import types

import torch
from torch import _core
from torch._core import B
from torch._tensor import Tensor
from . import safe_pickle

BLOCKED = ('js', 'pyodide', 'pyodide_js', '_pyodide', '_pyodide_core', '_gradlens_bridge', 'pyodide_http', 'micropip')
_SHIM_PREFIXES = ('torch', '_gradlens', 'numpy', 'pyodide', '_pyodide', 'importlib', 'encodings')


def _assign_labels(tree):
    """line -> assigned name, for every line of each single-target assignment."""
    labels = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            target = node.target
        else:
            continue
        if isinstance(target, (ast.Name, ast.Attribute)):
            name = ast.unparse(target)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, (ast.Name, ast.Attribute)):
            continue
        else:
            continue
        end = getattr(node, 'end_lineno', node.lineno) or node.lineno
        for line in range(node.lineno, end + 1):
            labels[line] = name
    return labels


class _Blocker:
    """Refuses the Pyodide bridge modules to the model file (and anything it imports)."""

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        top = fullname.split('.')[0]
        if top in BLOCKED and _from_user():
            raise ModuleNotFoundError(f"Gradlens: importing '{fullname}' is not allowed in a traced model file", name=fullname)
        return None


def _from_user():
    f = sys._getframe(2)
    while f is not None:
        name = f.f_globals.get('__name__', '')
        if not (name.startswith('importlib') or name.startswith('_frozen_importlib')):
            return not name.startswith(_SHIM_PREFIXES)
        f = f.f_back
    return True


_real_import = builtins.__import__


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name.split('.')[0] in BLOCKED:
        caller = (globals or {}).get('__name__', '')
        if not caller.startswith(_SHIM_PREFIXES):
            raise ModuleNotFoundError(f"Gradlens: importing '{name}' is not allowed in a traced model file", name=name)
    return _real_import(name, globals, locals, fromlist, level)


_pristine = {}


def _snapshot_classes():
    """Remember the shim's classes so a model file's monkeypatches do not leak into the next trace.

    Tensor's methods live in its bases (TensorMath, TensorShape …): each class of the MRO is saved,
    and so is every nn layer (a file may patch nn.Linear.forward)."""
    layers, todo = [], [torch.nn.Module]
    while todo:
        cls = todo.pop()
        layers.append(cls)
        todo.extend(cls.__subclasses__())
    for cls in (*Tensor.__mro__[:-1], *torch.nn.Module.__mro__[:-1], *layers):
        _pristine[cls] = dict(cls.__dict__)
    _pristine['recursionlimit'] = sys.getrecursionlimit()


def _restore_classes():
    for cls, saved in _pristine.items():
        if not isinstance(cls, type):
            continue
        for k in list(cls.__dict__):
            if k not in saved and k not in ('__dict__', '__weakref__'):
                try:
                    delattr(cls, k)
                except (AttributeError, TypeError):
                    pass
        for k, v in saved.items():
            if cls.__dict__.get(k) is not v and k not in ('__dict__', '__weakref__', '__doc__'):
                try:
                    setattr(cls, k, v)
                except (AttributeError, TypeError):
                    pass
    sys.setrecursionlimit(_pristine.get('recursionlimit', 1000))


def install_guards():
    if _Blocker not in sys.meta_path:
        sys.meta_path.insert(0, _Blocker)
    builtins.__import__ = _guarded_import
    safe_pickle.install()
    _snapshot_classes()


class _Modules:
    """sys.modules with the bridge modules hidden while the model runs."""

    def __init__(self):
        self.hidden = {}

    def hide(self):
        for k in list(sys.modules):
            if k.split('.')[0] in BLOCKED:
                self.hidden[k] = sys.modules.pop(k)

    def restore(self):
        sys.modules.update(self.hidden)
        self.hidden = {}


def _user_line(tb, path):
    line = col = None
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename == path:
            line = lineno
    return line


def _format_tb(e, path):
    frames = [fs for fs in traceback.extract_tb(e.__traceback__) if fs.filename == path]
    lines = ['Traceback (most recent call last):']
    for fs in frames:
        lines.append(f'  File "{os.path.basename(path)}", line {fs.lineno}, in {fs.name}')
        if fs.line:
            lines.append(f'    {fs.line}')
    lines.extend(l.rstrip('\n') for l in traceback.format_exception_only(type(e), e))
    return '\n'.join(lines)


def _error(e, path):
    etype = type(e).__name__
    if isinstance(e, SyntaxError):
        msg = e.msg
        line = e.lineno if e.filename in (path, None, '<unknown>') else _user_line(e.__traceback__, path)
        col = e.offset
        return {'type': etype, 'message': msg, 'line': line, 'column': col,
                'traceback': ''.join(traceback.format_exception_only(type(e), e)).rstrip()}
    if isinstance(e, ModuleNotFoundError) and e.name and not str(e).startswith('Gradlens'):
        top = e.name.split('.')[0]
        msg = f"No module named '{e.name}'"
        if top in ('numpy', 'matplotlib', 'pandas', 'fastcore', 'fastai', 'torchvision', 'sklearn', 'scipy', 'PIL'):
            msg += f" (Gradlens runs the model file in its own Python; '{top}' is not available there)"
    else:
        msg = str(e) if str(e) else etype
    if isinstance(e, KeyError):
        msg = repr(e.args[0]) if e.args else 'KeyError'
    return {'type': etype, 'message': msg, 'line': _user_line(e.__traceback__, path),
            'traceback': _format_tb(e, path)}


_SKIP = (str, bytes, int, float, bool, type(None), type, types.ModuleType, types.FunctionType,
         types.BuiltinFunctionType, types.MethodType, types.GeneratorType)


def _walk_names(g):
    """Python paths to every tensor reachable from the module's globals."""
    seen = set()
    budget = [20000]

    def visit(obj, path, depth):
        if budget[0] <= 0 or depth > 6:
            return
        budget[0] -= 1
        if isinstance(obj, Tensor):
            B.addName(obj._r, path)
            return
        if id(obj) in seen:
            return
        if isinstance(obj, _SKIP):
            return
        seen.add(id(obj))
        if isinstance(obj, torch.nn.Module):
            if isinstance(obj, (torch.nn.Sequential, torch.nn.ModuleList)):
                for i, m in enumerate(obj):
                    visit(m, f'{path}[{i}]', depth + 1)
            for k, v in obj.__dict__.items():
                if k.startswith('_') or k == 'training':
                    continue
                visit(v, f'{path}.{k}', depth + 1)
            if not isinstance(obj, (torch.nn.Sequential, torch.nn.ModuleList)):
                for k, m in obj._modules.items():
                    if k not in obj.__dict__:
                        visit(m, f'{path}.{k}', depth + 1)
            return
        if isinstance(obj, torch.optim.Optimizer):
            return
        if isinstance(obj, (list, tuple)):
            for i, v in enumerate(obj[:1000]):
                visit(v, f'{path}[{i}]', depth + 1)
            return
        if isinstance(obj, dict):
            for i, (k, v) in enumerate(obj.items()):
                if i >= 1000:
                    break
                if isinstance(k, (str, int)):
                    visit(v, f'{path}[{k!r}]', depth + 1)
            return
        d = getattr(obj, '__dict__', None)
        if isinstance(d, dict) and type(obj).__module__ == '__main__':
            for k, v in list(d.items()):
                if not k.startswith('_'):
                    visit(v, f'{path}.{k}', depth + 1)

    for k, v in list(g.items()):
        if k.startswith('_') or k in ('torch', 'nn', 'F', 'optim'):
            continue
        visit(v, k, 0)


_modules = _Modules()


def run(path):
    """Run the model file at `path`; tell the bridge the error (JSON) and the global `loss`."""
    folder = os.path.dirname(path)
    before = set(sys.modules)
    g = {'__name__': '__main__', '__file__': path, '__builtins__': builtins}
    error = None
    grad_was = B.setGradEnabled(True)
    try:
        with open(path, encoding='utf-8') as f:
            source = f.read()
        try:
            tree = ast.parse(source, path)
            labels = _assign_labels(tree)
        except SyntaxError:
            labels = {}
        _core.reset(path, labels)
        os.chdir(folder)
        sys.path.insert(0, folder)
        sys.argv = [path]
        _modules.hide()
        try:
            code = compile(source, path, 'exec')
            exec(code, g)
        finally:
            _modules.restore()
    except SystemExit as e:  # sys.exit() / exit(0) ends the model file normally
        if e.code not in (None, 0):
            error = _error(e, path)
            error['message'] = f'the model file called sys.exit({e.code!r})'
    except BaseException as e:  # noqa: B902 -- KeyboardInterrupt is the cancel/timeout path
        error = _error(e, path)
        e.__traceback__ = None
    finally:
        B.modelDone()  # from here on, a repeated stop signal cannot interrupt the clean-up
        if sys.path and sys.path[0] == folder:
            sys.path.pop(0)
        for name in set(sys.modules) - before:
            mod = sys.modules.get(name)
            if getattr(mod, '__file__', None) and str(mod.__file__).startswith(folder + os.sep):
                del sys.modules[name]
    try:
        _walk_names(g)
        B.applyLabels()
    except BaseException as e:  # noqa: B902
        if error is None:
            error = _error(e, path)
            error['traceback'] = traceback.format_exc()
            error['type'] = 'InternalError'
    loss = g.get('loss')
    B.setResult(json.dumps(error) if error else None, loss._r if isinstance(loss, Tensor) else None)
    _restore_classes()
    B.setGradEnabled(grad_was)
    g.clear()
    import gc
    gc.collect()

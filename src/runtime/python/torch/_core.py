"""The bridge to Gradlens' engine: source locations, error conversion, wrapping Refs as Tensors.

Kept small and cheap: every op calls `loc()` once (a frame walk and a dict lookup) and one bridge
function with primitive arguments.
"""
import sys
import json

from _gradlens_bridge import bridge as B  # noqa: F401  (registered by the worker)
from pyodide.ffi import JsException, to_js  # noqa: F401

dumps = json.dumps
_getframe = sys._getframe
# Bound bridge functions, looked up once: an attribute lookup on a JsProxy costs microseconds.
b_op = B.op
b_op_scalar = B.opScalar
b_op_n = B.opN
b_inplace = B.inplace
b_loc = B.loc


class _State:
    file = None          # absolute path of the model file being traced
    labels = {}          # line -> variable assigned by the statement covering that line
    cache = {}           # (lasti, id(code), ...) of the user frames -> interned location id
    positions = {}       # id(code) -> list(code.co_positions())


S = _State


def reset(file, labels):
    S.file = file
    S.labels = labels
    S.cache = {}
    S.positions = {}


def loc():
    """Interned id of the caller's location in the model file (-1 if no model-file frame)."""
    f = _getframe(1)
    user = S.file
    key = []
    while f is not None:
        code = f.f_code
        if code.co_filename == user:
            key.append(f.f_lasti)
            key.append(id(code))
            if code.co_name == '<module>':
                break  # the model file's top level: nothing above it is the user's
        f = f.f_back
    if not key:
        return -1
    k = tuple(key)
    r = S.cache.get(k)
    if r is None:
        r = S.cache[k] = _make_loc()
    return r


def _make_loc():
    frames = []
    f = _getframe(2)
    while f is not None:
        if f.f_code.co_filename == S.file:
            frames.append(f)
        f = f.f_back
    inner = frames[0]
    code = inner.f_code
    pos = S.positions.get(id(code))
    if pos is None:
        pos = S.positions[id(code)] = list(code.co_positions())
    line = inner.f_lineno or 0
    col = 1
    i = inner.f_lasti // 2
    if 0 <= i < len(pos):
        p = pos[i]
        if p[0] is not None:
            line = p[0]
        if p[2] is not None:
            col = p[2] + 1
    stack = [fr.f_code.co_qualname for fr in reversed(frames)]
    labels = []
    for fr in frames:
        name = S.labels.get(fr.f_lineno)
        if name:
            labels.append([fr.f_lineno, name])
    return b_loc(line, col, code.co_qualname, dumps(stack), dumps(labels))


# ---- errors ----------------------------------------------------------------------------------

class ShapeError(RuntimeError):
    """Shapes that do not broadcast, multiply, reshape or index (PyTorch raises RuntimeError)."""


class UnsupportedError(NotImplementedError):
    """Something PyTorch has and Gradlens does not cover yet; the message names it."""


class InternalError(RuntimeError):
    pass


def convert(e):
    name = getattr(e, 'name', '') or ''
    msg = getattr(e, 'message', None) or str(e)
    if name == 'ShapeError':
        return ShapeError(msg)
    if name == 'UnsupportedError':
        return UnsupportedError(msg)
    if name == 'IndexError':
        return IndexError(msg)
    if name == 'MemoryError':
        return MemoryError(msg)
    if name == 'RangeError' and ('allocation' in msg or 'Array buffer' in msg or 'Invalid typed array length' in msg):
        return MemoryError(f'out of memory allocating a tensor ({msg})')
    if name in ('RuntimeError', 'Error'):
        return RuntimeError(msg)
    return InternalError(f'{name}: {msg} (a Gradlens bug; please report it)')


def unsupported(name):
    return UnsupportedError(f'{name} is not supported by Gradlens yet')

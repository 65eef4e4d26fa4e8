"""Tensor factories: torch.tensor from nested data, zeros/ones/full and their _like, eye, arange, linspace,
and the legacy LongTensor(…) constructors."""
import builtins as _builtins
import math as _math

from ._core import B as _B, loc as _loc, dumps as _dumps
from ._tensor import Tensor, int64, bool_, wrap as _wrap, engine_dtype as _engine_dtype, _call
from ._grad_mode import set_grad_enabled

__all__ = ['tensor', 'as_tensor', 'from_numpy', 'zeros', 'ones', 'empty', 'full', 'zeros_like', 'ones_like',
           'empty_like', 'full_like', 'eye', 'arange', 'linspace', 'FloatTensor', 'LongTensor', 'BoolTensor']

_isinstance = _builtins.isinstance
_pyint, _pyfloat, _pybool = _builtins.int, _builtins.float, _builtins.bool


def _size(args):
    if len(args) == 1 and _isinstance(args[0], (tuple, list)):
        args = args[0]
    return _dumps([_pyint(a) for a in args])


def _leaf_dtype(dtype, default='float32'):
    return _engine_dtype(dtype, default)


def _flatten(data):
    """Nested lists/tuples/scalars/0-d tensors -> (flat values, shape, kind)."""
    if _isinstance(data, Tensor):
        return None
    shape = []
    x = data
    while _isinstance(x, (list, tuple)):
        shape.append(len(x))
        if not x:
            break
        x = x[0]
    flat = []
    kinds = set()

    def walk(v, d):
        if d == len(shape):
            if _isinstance(v, (list, tuple)):
                raise ValueError('expected sequence of equal length lists')
            if _isinstance(v, Tensor):
                v = v.item()
            elif hasattr(v, 'item') and not _isinstance(v, (_pyint, _pyfloat)):
                v = v.item()
            if _isinstance(v, _pybool):
                kinds.add('bool')
            elif _isinstance(v, _pyint):
                kinds.add('int64')
            elif _isinstance(v, _pyfloat):
                kinds.add('float32')
            else:
                raise TypeError(f"Could not infer dtype of {type(v).__name__}")
            flat.append(v)
            return
        if not _isinstance(v, (list, tuple)) or len(v) != shape[d]:
            raise ValueError(f'expected sequence of length {shape[d]} at dim {d} (got {len(v) if _isinstance(v, (list, tuple)) else type(v).__name__})')
        for e in v:
            walk(e, d + 1)
    walk(data, 0)
    kind = 'float32' if 'float32' in kinds or not kinds else 'int64' if 'int64' in kinds else 'bool'
    return flat, shape, kind


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    at = _loc()
    arr = getattr(data, '__gradlens_array__', None)
    if arr is not None:
        data = arr()
    if _isinstance(data, Tensor):
        # A new leaf over the same (immutable) values: no copy, no graph edge, as torch.tensor(t) detaches.
        dt = '' if dtype is None else _leaf_dtype(dtype)
        return _wrap(_call(_B.copyLeaf, data._r, dt, _pybool(requires_grad), at))
    flat, shape, kind = _flatten(data)
    dt = _leaf_dtype(dtype, kind)
    vals = [v if v == v and v not in (_math.inf, -_math.inf) else None for v in flat] if dt == 'float32' else flat
    if dt == 'float32' and _builtins.any(v is None for v in vals):
        t = _call(_B.literal, _dumps([0 if v is None else v for v in vals]), _dumps(shape), dt, False, at)
        t = _wrap(t)
        return _fix_nonfinite(t, flat, shape, requires_grad)
    return _wrap(_call(_B.literal, _dumps(vals), _dumps(shape), dt, _pybool(requires_grad), at))


def _fix_nonfinite(t, flat, shape, requires_grad):
    for i, v in enumerate(flat):
        if v != v or v in (_math.inf, -_math.inf):
            idx = []
            r = i
            for d in reversed(shape):
                idx.append(r % d)
                r //= d
            t[tuple(reversed(idx))] = v
    return t.detach().requires_grad_(requires_grad) if requires_grad else t


def as_tensor(data, dtype=None, device=None):
    if _isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    return tensor(data, dtype=dtype)


def from_numpy(arr):
    return tensor(arr)


def _filled(value, size, dtype, requires_grad, default='float32'):
    return _wrap(_call(_B.full, _size(size), value, _leaf_dtype(dtype, default), _pybool(requires_grad), _loc()))


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    return _filled(0, size, dtype, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    return _filled(1, size, dtype, requires_grad)


empty = zeros


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    default = 'bool' if _isinstance(fill_value, _pybool) else 'int64' if _isinstance(fill_value, _pyint) else 'float32'
    return _filled(fill_value, (size,), dtype, requires_grad, default)


def zeros_like(t, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _filled(0, (t.shape,), dtype or t.dtype, requires_grad)


def ones_like(t, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _filled(1, (t.shape,), dtype or t.dtype, requires_grad)


empty_like = zeros_like


def full_like(t, fill_value, dtype=None, device=None, requires_grad=False):
    return _filled(fill_value, (t.shape,), dtype or t.dtype, requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    m = n if m is None else m
    t = zeros(n, m, dtype=dtype)
    k = _builtins.min(n, m)
    if k:
        r = arange(k)
        no_grad_ = set_grad_enabled(False)
        with no_grad_:
            t[r, r] = 1
    return t.requires_grad_() if requires_grad else t


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False, out=None):
    if end is None:
        start, end = 0, start
    vals = [start, end, step]
    vals = [v.item() if _isinstance(v, Tensor) else v for v in vals]
    default = 'float32' if _builtins.any(_isinstance(v, _pyfloat) for v in vals) else 'int64'
    return _wrap(_call(_B.arange, vals[0], vals[1], vals[2], _leaf_dtype(dtype, default), _pybool(requires_grad), _loc()))


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    return _wrap(_call(_B.linspace, _pyfloat(start), _pyfloat(end), _pyint(steps), _pybool(requires_grad), _loc()))


FloatTensor = Tensor


def LongTensor(*args):
    if len(args) == 1 and not _isinstance(args[0], _pyint):
        return tensor(args[0], dtype=int64)
    return zeros(*args, dtype=int64)


def BoolTensor(*args):
    if len(args) == 1 and not _isinstance(args[0], _pyint):
        return tensor(args[0], dtype=bool_)
    return zeros(*args, dtype=bool_)

"""`torch.<name>(input, …)`: the Tensor methods as functions, and cat, stack, where, broadcast_shapes …"""
import builtins as _builtins

from ._core import B as _B, JsException as _JsException, convert as _convert, loc as _loc
from ._core import unsupported as _unsupported, ShapeError
from ._tensor import Tensor, Size, wrap as _wrap, opn as _opn, as_ref as _as_ref, _p
from ._creation import tensor

_isinstance = _builtins.isinstance
_pyint = _builtins.int

_MIRRORED = ('exp', 'log', 'sqrt', 'rsqrt', 'tanh', 'sigmoid', 'sin', 'cos', 'abs', 'neg', 'square', 'relu',
             'log1p', 'expm1', 'sign', 'floor', 'ceil', 'round', 'clamp', 'clip', 'clamp_min', 'clamp_max',
             'sum', 'mean', 'var', 'std', 'argmax', 'argmin', 'logsumexp', 'softmax', 'log_softmax', 'matmul',
             'mm', 'bmm', 'mv', 'dot', 't', 'transpose', 'permute', 'unsqueeze', 'squeeze', 'reshape', 'flatten',
             'narrow', 'split', 'chunk', 'unbind', 'select', 'index_select', 'allclose', 'isclose', 'equal',
             'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logical_and', 'logical_or', 'logical_xor', 'logical_not', 'isnan',
             'pow', 'add', 'sub', 'mul', 'div', 'remainder', 'floor_divide', 'amax', 'amin', 'all', 'any',
             'masked_fill', 'norm', 'reciprocal', 'log2', 'log10', 'swapaxes', 'maximum', 'minimum', 'multiply',
             'divide', 'negative', 'true_divide', 'absolute', 'lerp', 'cumsum', 'cumprod', 'sort', 'argsort',
             'topk', 'unique', 'nonzero', 'flip', 'roll', 'tril', 'triu', 'diag', 'outer', 'einsum', 'erf',
             'gather', 'scatter', 'prod', 'masked_select', 'trace', 'atan', 'tan', 'cross', 'addmm', 'tile',
             'repeat_interleave', 'movedim', 'bincount', 'cosh', 'sinh', 'asin', 'acos', 'atan2')

__all__ = [*_MIRRORED, 'max', 'min', 'cat', 'concat', 'concatenate', 'stack', 'hstack', 'vstack', 'where',
           'broadcast_tensors', 'broadcast_shapes']


def _method(name):
    def fn(input, *args, **kwargs):
        if not _isinstance(input, Tensor):
            input = tensor(input)
        return getattr(input, name)(*args, **kwargs)
    fn.__name__ = name
    return fn


for _name in _MIRRORED:
    globals()[_name] = _method(_name)


def max(input, dim=None, keepdim=False, out=None):
    if not _isinstance(input, Tensor):
        raise TypeError('max(): argument input must be a Tensor')
    return input.max(dim, keepdim)


def min(input, dim=None, keepdim=False, out=None):
    return input.min(dim, keepdim)


def cat(tensors, dim=0, out=None):
    tensors = list(tensors)
    return _opn('cat', tensors, _p(dim=_pyint(dim)))


concat = concatenate = cat


def stack(tensors, dim=0, out=None):
    tensors = list(tensors)
    return _opn('stack', tensors, _p(dim=_pyint(dim)))


def hstack(tensors):
    tensors = list(tensors)
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    return cat([t if t.ndim > 1 else t.unsqueeze(0) for t in tensors], 0)


def where(condition, input=None, other=None):
    if input is None:
        raise _unsupported('torch.where(condition) (nonzero)')
    at = _loc()
    try:
        c = _as_ref(condition, at)
        return _wrap(_B.op3('where', c, _as_ref(input, at), _as_ref(other, at), None, at))
    except _JsException as e:
        raise _convert(e) from None


def broadcast_tensors(*tensors):
    shape = broadcast_shapes(*(t.shape for t in tensors))
    return tuple(t.expand(shape) for t in tensors)


def broadcast_shapes(*shapes):
    n = _builtins.max(len(s) for s in shapes)
    out = [1] * n
    for s in shapes:
        s = [1] * (n - len(s)) + list(s)
        for i, d in enumerate(s):
            if d != 1:
                if out[i] not in (1, d):
                    raise ShapeError(f'shape mismatch: objects cannot be broadcast to a single shape')
                out[i] = d
    return Size(out)

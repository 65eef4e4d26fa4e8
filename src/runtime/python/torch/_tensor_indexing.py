"""Tensor indexing: `x[key]`, `x[key] = value`, len, iteration and `in`.

A key becomes the engine's IndexItem list (JSON); tensor indices become extra inputs of the op.
"""
import builtins

from ._core import B, JsException, convert, dumps, loc
from ._core import b_op as _b_op, b_op_n as _b_op_n
from ._tensor import TensorBase, float32, wrap, as_ref

_isinstance = builtins.isinstance
_int, _bool = builtins.int, builtins.bool


def _index_value(v):
    if v is None or _isinstance(v, _int):
        return v
    if _isinstance(v, TensorBase):
        return v.item().__index__()
    return v.__index__()


_simple_cache = {}
_SIMPLE = (_int, type(None), type(Ellipsis))


def _is_simple(k):
    t = type(k)
    if t in _SIMPLE:
        return True
    if t is slice:
        return type(k.start) in _SIMPLE and type(k.stop) in _SIMPLE and type(k.step) in _SIMPLE
    return False


def _index_params(key, first_input):
    """x[key] as the engine's IndexItem list; tensor indices become extra inputs."""
    # ints, None, ... and int slices (`x[:, None]`, `x[i]`, `x[1:3]`): cached JSON, no extra inputs
    if _is_simple(key) or (type(key) is tuple and all(map(_is_simple, key))):
        cached = _simple_cache.get((key, first_input))
        if cached is not None:
            return cached
        if len(_simple_cache) > 4096:
            _simple_cache.clear()
        r = _simple_cache[(key, first_input)] = _index_params_full(key, first_input)
        return r
    return _index_params_full(key, first_input)


def _index_params_full(key, first_input):
    if not _isinstance(key, tuple):
        key = (key,)
    items, extra = [], []
    for k in key:
        if k is None:
            items.append({'kind': 'none'})
        elif k is Ellipsis:
            items.append({'kind': 'ellipsis'})
        elif _isinstance(k, _bool):
            from . import tensor as _tensor
            extra.append(_tensor(k))
            items.append({'kind': 'tensor', 'input': first_input + len(extra) - 1})
        elif _isinstance(k, _int):
            items.append({'kind': 'int', 'value': k})
        elif _isinstance(k, slice):
            items.append({'kind': 'slice', 'start': _index_value(k.start), 'stop': _index_value(k.stop),
                          'step': _index_value(k.step)})
        else:
            if _isinstance(k, TensorBase):
                t = k
            elif _isinstance(k, range):
                from . import arange
                t = arange(k.start, k.stop, k.step)
            elif _isinstance(k, (list, tuple)) or hasattr(k, '__gradlens_array__'):
                from . import tensor as _tensor
                t = _tensor(k)
                if t.dtype is float32:
                    if t.numel() == 0:
                        t = t.long()
                    else:
                        raise IndexError('tensors used as indices must be long, int, byte or bool tensors')
            elif hasattr(k, '__index__'):
                items.append({'kind': 'int', 'value': k.__index__()})
                continue
            else:
                raise IndexError(f'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got {type(k).__name__})')
            extra.append(t)
            items.append({'kind': 'tensor', 'input': first_input + len(extra) - 1})
    return dumps({'items': items}), extra


class TensorIndexing:
    __slots__ = ()

    def __getitem__(self, key):
        at = loc()
        params, extra = _index_params(key, 1)
        try:
            if not extra:
                return wrap(_b_op('index', self._r, None, params, at))
            return wrap(_b_op_n('index', [self._r] + [t._r for t in extra], params, at))
        except JsException as e:
            raise convert(e) from None

    def __setitem__(self, key, value):
        at = loc()
        params, extra = _index_params(key, 2)
        was = None
        if self.__dict__.get('_nograd'):
            was = B.setGradEnabled(False)
        try:
            v = as_ref(value, at)
            B.inplace(self._r, 'index_put', [v] + [t._r for t in extra], params, at)
        except JsException as e:
            raise convert(e) from None
        finally:
            if was is not None:
                B.setGradEnabled(was)

    def __len__(self):
        s = self.shape
        if not s:
            raise TypeError('len() of a 0-d tensor')
        return s[0]

    def __iter__(self):
        s = self.shape
        if not s:
            raise TypeError('iteration over a 0-d tensor')
        for i in range(s[0]):
            yield self[i]

    def __contains__(self, x):
        return (self == x).any().item()

"""Tensor conversions: to Python values and text (item, tolist, repr …), to other dtypes, copies."""
import builtins

from ._core import B, loc, unsupported
from ._tensor import (
    TensorBase, dtype, engine_dtype, float32, int64, bool_, float64, float16, wrap, op, _call, _p,
)

_isinstance = builtins.isinstance
_int, _float, _bool = builtins.int, builtins.float, builtins.bool


class TensorConversion:
    __slots__ = ()

    # ---- Python values and text --------------------------------------------------------------
    def item(self):
        v = _call(B.item, self._r)
        dt = B.dtype(self._r)
        if dt == 'int64':
            return _int(v)
        if dt == 'bool':
            return _bool(v)
        return _float(v)

    def tolist(self):
        import json
        flat = json.loads(_call(B.tolist, self._r))
        dt = B.dtype(self._r)
        conv = _int if dt == 'int64' else _bool if dt == 'bool' else _float
        flat = [conv(x) if not _isinstance(x, str) else _float(x) for x in flat]
        shape = self.shape
        if not shape:
            return flat[0]

        def build(d, off):
            if d == len(shape) - 1:
                return flat[off:off + shape[d]]
            step = 1
            for s in shape[d + 1:]:
                step *= s
            return [build(d + 1, off + i * step) for i in range(shape[d])]
        return build(0, 0)

    def numpy(self):
        import numpy
        return numpy._from_tensor(self)

    def __array__(self, dtype=None):
        return self.numpy()

    def __bool__(self):
        n = self.numel()
        if n != 1:
            raise RuntimeError(f'Boolean value of Tensor with more than one value is ambiguous')
        return _bool(B.at1(self._r, 0))

    def __float__(self):
        return _float(self.item())

    def __int__(self):
        return _int(self.item())

    def __index__(self):
        if B.dtype(self._r) == 'float32':
            raise TypeError('only integer tensors of a single element can be converted to an index')
        return _int(self.item())

    def __repr__(self, *, tensor_contents=None):
        return _call(B.repr, self._r, 'tensor')

    __str__ = __repr__

    def __format__(self, spec):
        if self.numel() == 1 and not self.shape or (spec and self.numel() == 1):
            return format(self.item(), spec)
        return format(repr(self), spec)

    def __reduce_ex__(self, proto):
        raise unsupported('pickling a tensor (torch.save)')

    def __deepcopy__(self, memo):
        return self.clone().detach().requires_grad_(self.requires_grad) if self.is_leaf else self.clone()

    # ---- dtype and device ------------------------------------------------------------------
    def to(self, *args, **kwargs):
        dt = kwargs.get('dtype')
        for a in args:
            if _isinstance(a, dtype):
                dt = a
            elif _isinstance(a, TensorBase):
                dt = a.dtype
        if dt is None:
            return self
        target = engine_dtype(dt)
        if target == B.dtype(self._r):
            return self
        return op('to', self, None, _p(dtype=target))

    def type(self, dtype=None):
        if dtype is None:
            return {'float32': 'torch.FloatTensor', 'int64': 'torch.LongTensor', 'bool': 'torch.BoolTensor'}[B.dtype(self._r)]
        return self.to(dtype)

    def type_as(self, other): return self.to(other.dtype)
    def float(self): return self.to(float32)
    def long(self): return self.to(int64)
    def int(self): return self.to(int64)
    def bool(self): return self.to(bool_)
    def double(self): return self.to(float64)
    def half(self): return self.to(float16)
    def cpu(self): return self
    def cuda(self, *a, **k): return self
    def detach(self): return wrap(_call(B.detach, self._r, loc()))
    def detach_(self):
        raise unsupported('Tensor.detach_')
    def clone(self, memory_format=None): return op('clone', self)
    def is_floating_point(self): return B.dtype(self._r) == 'float32'
    def element_size(self): return self.dtype.itemsize
    def apply_(self, fn): raise unsupported('Tensor.apply_')

    def new_zeros(self, *size, dtype=None, requires_grad=False):
        from . import zeros
        return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad=False):
        from . import ones
        return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad=False):
        from . import full
        return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_tensor(self, data, dtype=None, requires_grad=False):
        from . import tensor as _tensor
        return _tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

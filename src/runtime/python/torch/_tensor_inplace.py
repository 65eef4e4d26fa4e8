"""Tensor methods that change the tensor in place: `x += y`, `add_`, `fill_`, `copy_`, `normal_` …

On `x.data` (a view flagged `_nograd`) they run with grad mode off: no graph edge.
"""
import builtins

from ._core import B, loc, unsupported
from ._tensor import TensorBase, _call, _inplace, _p, as_ref

_isinstance = builtins.isinstance
_float = builtins.float


class TensorInPlace:
    __slots__ = ()

    def __iadd__(self, o): return _inplace(self, 'add', (o,))
    def __isub__(self, o): return _inplace(self, 'sub', (o,))
    def __imul__(self, o): return _inplace(self, 'mul', (o,))
    def __itruediv__(self, o): return _inplace(self, 'div', (o,))
    def __ipow__(self, o): return _inplace(self, 'pow', (o,))

    def add_(self, o, alpha=1): return _inplace(self, 'add', (o if alpha == 1 else o * alpha,))
    def sub_(self, o, alpha=1): return _inplace(self, 'sub', (o if alpha == 1 else o * alpha,))
    def mul_(self, o): return _inplace(self, 'mul', (o,))
    def div_(self, o): return _inplace(self, 'div', (o,))
    def pow_(self, o): return _inplace(self, 'pow', (o,))
    def neg_(self): return _inplace(self, 'neg')
    def exp_(self): return _inplace(self, 'exp')
    def log_(self): return _inplace(self, 'log')
    def sqrt_(self): return _inplace(self, 'sqrt')
    def relu_(self): return _inplace(self, 'relu')
    def sigmoid_(self): return _inplace(self, 'sigmoid')
    def tanh_(self): return _inplace(self, 'tanh')
    def abs_(self): return _inplace(self, 'abs')
    def clamp_(self, min=None, max=None): return _inplace(self, 'clamp', (), _p(min=min, max=max))
    clip_ = clamp_
    def clamp_min_(self, min): return self.clamp_(min=min)
    def clamp_max_(self, max): return self.clamp_(max=max)

    def masked_fill_(self, mask, value):
        from . import tensor as _tensor
        return self.copy_(self.masked_fill(mask, value if _isinstance(value, TensorBase) else _tensor(value, dtype=self.dtype)))

    def addmm_(self, *a, **k):
        raise unsupported('Tensor.addmm_')

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        if _isinstance(value, TensorBase):
            value = value.item()
        was = None
        if self.__dict__.get('_nograd'):
            was = B.setGradEnabled(False)
        try:
            _call(B.fill, self._r, value, loc())
        finally:
            if was is not None:
                B.setGradEnabled(was)
        return self

    def copy_(self, src, non_blocking=False):
        was = None
        if self.__dict__.get('_nograd'):
            was = B.setGradEnabled(False)
        try:
            _call(B.overwrite, self._r, as_ref(src), 'copy_', loc())
        finally:
            if was is not None:
                B.setGradEnabled(was)
        return self

    def normal_(self, mean=0.0, std=1.0, generator=None):
        _call(B.fillRandom, self._r, 'normal', _float(mean), _float(std), loc())
        return self

    def uniform_(self, a=0.0, b=1.0, generator=None):
        _call(B.fillRandom, self._r, 'uniform', _float(a), _float(b), loc())
        return self

    def random_(self, *a, **k):
        raise unsupported('Tensor.random_')

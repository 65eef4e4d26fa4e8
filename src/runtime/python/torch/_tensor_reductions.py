"""Tensor reductions (sum, mean, var, max …) and the softmaxes: one engine op over some dims."""
import builtins

from ._core import B, unsupported
from ._tensor import TensorBase, MaxResult, MinResult, op, _p, _dims

_isinstance = builtins.isinstance
_int, _bool = builtins.int, builtins.bool


class TensorReductions:
    __slots__ = ()

    def _summable(self):
        return self.long() if B.dtype(self._r) == 'bool' else self

    def sum(self, dim=None, keepdim=False, dtype=None, axis=None):
        dim = axis if dim is None else dim
        r = op('sum', self._summable(), None, _p(dim=_dims(dim), keepdim=_bool(keepdim)))
        return r if dtype is None else r.to(dtype)

    def mean(self, dim=None, keepdim=False, dtype=None, axis=None):
        dim = axis if dim is None else dim
        x = self if dtype is None else self.to(dtype)
        return op('mean', x, None, _p(dim=_dims(dim), keepdim=_bool(keepdim)))

    def _var_params(self, dim, unbiased, keepdim, correction):
        if _isinstance(dim, _bool):  # var(unbiased)
            unbiased, dim = dim, None
        if correction is None:
            correction = 1 if unbiased is None or unbiased else 0
        return _p(dim=_dims(dim), keepdim=_bool(keepdim), correction=correction)

    def var(self, dim=None, unbiased=None, keepdim=False, correction=None):
        return op('var', self, None, self._var_params(dim, unbiased, keepdim, correction))

    def std(self, dim=None, unbiased=None, keepdim=False, correction=None):
        return op('std', self, None, self._var_params(dim, unbiased, keepdim, correction))

    def _extreme(self, name, dim, keepdim, result):
        if _isinstance(dim, TensorBase):
            return op('maximum' if name == 'max' else 'minimum', self, dim)
        if dim is None:
            return op(name, self, None, _p(dim=None, keepdim=False))
        p = _p(dim=_int(dim), keepdim=_bool(keepdim))
        return result(op(name, self, None, p), op('arg' + name, self, None, p))

    def max(self, dim=None, keepdim=False):
        return self._extreme('max', dim, keepdim, MaxResult)

    def min(self, dim=None, keepdim=False):
        return self._extreme('min', dim, keepdim, MinResult)

    def amax(self, dim=None, keepdim=False):
        return self.max() if dim is None else self.max(dim, keepdim).values

    def amin(self, dim=None, keepdim=False):
        return self.min() if dim is None else self.min(dim, keepdim).values

    def argmax(self, dim=None, keepdim=False):
        return op('argmax', self, None, _p(dim=None if dim is None else _int(dim), keepdim=_bool(keepdim)))

    def argmin(self, dim=None, keepdim=False):
        return op('argmin', self, None, _p(dim=None if dim is None else _int(dim), keepdim=_bool(keepdim)))

    def logsumexp(self, dim, keepdim=False):
        return op('logsumexp', self, None, _p(dim=_dims(dim), keepdim=_bool(keepdim)))

    def softmax(self, dim, dtype=None):
        return op('softmax', self, None, _p(dim=_int(dim)))

    def log_softmax(self, dim, dtype=None):
        return op('log_softmax', self, None, _p(dim=_int(dim)))

    def all(self, dim=None, keepdim=False):
        return op('all', self, None, _p(dim=None if dim is None else _int(dim), keepdim=_bool(keepdim)))

    def any(self, dim=None, keepdim=False):
        return op('any', self, None, _p(dim=None if dim is None else _int(dim), keepdim=_bool(keepdim)))

    def prod(self, dim=None, keepdim=False, dtype=None):
        raise unsupported('Tensor.prod')

    def norm(self, p='fro', dim=None, keepdim=False, dtype=None):
        if p in ('fro', 2, 2.0, None):
            return (self * self).sum(dim, keepdim).sqrt()
        if p in (1, 1.0):
            return self.abs().sum(dim, keepdim)
        raise unsupported(f'Tensor.norm(p={p!r})')

"""Tensor arithmetic, comparisons and elementwise math: each one engine op (`op`)."""
import builtins
import math

from ._core import B, unsupported
from ._tensor import TensorBase, op, _p, as_tensor_like

_isinstance = builtins.isinstance
_float, _bool = builtins.float, builtins.bool


class TensorMath:
    __slots__ = ()

    # ---- operators ---------------------------------------------------------------------------
    def __add__(self, o): return op('add', self, o)
    def __radd__(self, o): return op('add', o, self)
    def __sub__(self, o): return op('sub', self, o)
    def __rsub__(self, o): return op('sub', o, self)
    def __mul__(self, o): return op('mul', self, o)
    def __rmul__(self, o): return op('mul', o, self)
    def __truediv__(self, o): return op('div', self, o)
    def __rtruediv__(self, o): return op('div', o, self)
    def __floordiv__(self, o): return op('floor_divide', self, o)
    def __rfloordiv__(self, o): return op('floor_divide', o, self)
    def __mod__(self, o): return op('remainder', self, o)
    def __rmod__(self, o): return op('remainder', o, self)
    def __pow__(self, o): return op('pow', self, o)
    def __rpow__(self, o): return op('pow', o, self)
    def __matmul__(self, o): return op('matmul', self, o)
    def __rmatmul__(self, o): return op('matmul', o, self)
    def __neg__(self): return op('neg', self)
    def __pos__(self): return self
    def __abs__(self): return op('abs', self)

    def __invert__(self):
        if B.dtype(self._r) != 'bool':
            raise unsupported('bitwise not (~) of a non-bool tensor')
        return op('logical_not', self)

    def __and__(self, o): return op('logical_and', self, o)
    __rand__ = __and__
    def __or__(self, o): return op('logical_or', self, o)
    __ror__ = __or__
    def __xor__(self, o): return op('logical_xor', self, o)
    __rxor__ = __xor__

    def __eq__(self, o):
        if o is None:
            return False
        return op('eq', self, o)

    __hash__ = object.__hash__  # __eq__ is elementwise; a tensor hashes by identity, as in PyTorch

    def __ne__(self, o):
        if o is None:
            return True
        return op('ne', self, o)

    def __lt__(self, o): return op('lt', self, o)
    def __le__(self, o): return op('le', self, o)
    def __gt__(self, o): return op('gt', self, o)
    def __ge__(self, o): return op('ge', self, o)

    # ---- the same as methods -----------------------------------------------------------------
    def add(self, o, alpha=1):
        return op('add', self, o if alpha == 1 else o * alpha)

    def sub(self, o, alpha=1):
        return op('sub', self, o if alpha == 1 else o * alpha)

    def mul(self, o): return op('mul', self, o)
    multiply = mul
    def div(self, o, rounding_mode=None):
        if rounding_mode == 'floor':
            return op('floor_divide', self, o)
        if rounding_mode is not None:
            raise unsupported(f"div(rounding_mode='{rounding_mode}')")
        return op('div', self, o)
    divide = true_divide = div
    def pow(self, o): return op('pow', self, o)
    def matmul(self, o): return op('matmul', self, o)
    mm = matmul
    bmm = matmul
    mv = matmul
    dot = matmul
    def remainder(self, o): return op('remainder', self, o)
    def floor_divide(self, o): return op('floor_divide', self, o)
    def maximum(self, o): return op('maximum', self, o)
    def minimum(self, o): return op('minimum', self, o)
    def eq(self, o): return op('eq', self, o)
    def ne(self, o): return op('ne', self, o)
    def lt(self, o): return op('lt', self, o)
    def le(self, o): return op('le', self, o)
    def gt(self, o): return op('gt', self, o)
    def ge(self, o): return op('ge', self, o)
    greater, less, greater_equal, less_equal, not_equal = gt, lt, ge, le, ne
    def logical_and(self, o): return op('logical_and', self, o)
    def logical_or(self, o): return op('logical_or', self, o)
    def logical_xor(self, o): return op('logical_xor', self, o)
    def logical_not(self): return op('logical_not', self)
    def isnan(self): return op('isnan', self)

    def equal(self, o):
        return self.shape == o.shape and _bool((self == o).all().item())

    def allclose(self, o, rtol=1e-05, atol=1e-08, equal_nan=False):
        return _bool(self.isclose(o, rtol, atol, equal_nan).all().item())

    def isclose(self, o, rtol=1e-05, atol=1e-08, equal_nan=False):
        return op('isclose', self, as_tensor_like(o), _p(rtol=_float(rtol), atol=_float(atol), equal_nan=_bool(equal_nan)))

    # ---- elementwise math --------------------------------------------------------------------
    def exp(self): return op('exp', self)
    def log(self): return op('log', self)
    def sqrt(self): return op('sqrt', self)
    def rsqrt(self): return op('rsqrt', self)
    def tanh(self): return op('tanh', self)
    def sigmoid(self): return op('sigmoid', self)
    def sin(self): return op('sin', self)
    def cos(self): return op('cos', self)
    def abs(self): return op('abs', self)
    absolute = abs
    def neg(self): return op('neg', self)
    negative = neg
    def square(self): return op('square', self)
    def relu(self): return op('relu', self)
    def log1p(self): return op('log1p', self)
    def expm1(self): return op('expm1', self)
    def sign(self): return op('sign', self)
    def floor(self): return op('floor', self)
    def ceil(self): return op('ceil', self)
    def round(self, decimals=0):
        if decimals:
            raise unsupported('round(decimals=...)')
        return op('round', self)
    def reciprocal(self): return op('div', 1.0, self)

    def log2(self): return op('log', self) / math.log(2)
    def log10(self): return op('log', self) / math.log(10)

    def clamp(self, min=None, max=None):
        if _isinstance(min, TensorBase) or _isinstance(max, TensorBase):
            r = self
            if min is not None:
                r = op('maximum', r, min)
            if max is not None:
                r = op('minimum', r, max)
            return r
        return op('clamp', self, None, _p(min=min, max=max))
    clip = clamp

    def clamp_min(self, min): return self.clamp(min=min)
    def clamp_max(self, max): return self.clamp(max=max)

    def where(self, condition, other):
        from . import where
        return where(condition, self, other)

    def masked_fill(self, mask, value):
        from . import where
        return where(mask, value, self)

    def tril(self, diagonal=0):
        return _triangle(self, diagonal, lower=True)

    def triu(self, diagonal=0):
        return _triangle(self, diagonal, lower=False)

    def lerp(self, end, weight):
        return self + weight * (end - self)


def _triangle(x, diagonal, lower):
    """tril/triu over the last two dims as a `where` with an index mask (exact, differentiable)."""
    from . import arange, where, zeros_like
    if x.ndim < 2:
        raise RuntimeError(f'{"tril" if lower else "triu"}: input tensor must have at least 2 dimensions')
    r, c = x.shape[-2], x.shape[-1]
    rows, cols = arange(r)[:, None], arange(c)[None, :]
    keep = (cols - rows <= diagonal) if lower else (cols - rows >= diagonal)
    return where(keep, x, zeros_like(x))

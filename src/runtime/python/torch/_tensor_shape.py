"""Tensor shape methods: views, transposes, splits, expand, repeat."""
import builtins

from ._core import unsupported
from ._tensor import dtype, op, _p, _shape_args

_isinstance = builtins.isinstance
_int = builtins.int
_pymin = builtins.min


class TensorShape:
    __slots__ = ()

    def view(self, *shape):
        if len(shape) == 1 and _isinstance(shape[0], dtype):
            raise unsupported('Tensor.view(dtype)')
        return op('view', self, None, _p(shape=_shape_args(shape)))

    def reshape(self, *shape):
        return op('reshape', self, None, _p(shape=_shape_args(shape)))

    def view_as(self, other): return self.view(other.shape)
    def reshape_as(self, other): return self.reshape(other.shape)

    def flatten(self, start_dim=0, end_dim=-1):
        s = list(self.shape)
        if not s:
            return op('flatten', self, None, _p(shape=[1]))
        n = len(s)
        a, b = start_dim % n, end_dim % n
        m = 1
        for d in s[a:b + 1]:
            m *= d
        return op('flatten', self, None, _p(shape=s[:a] + [m] + s[b + 1:]))

    def unflatten(self, dim, sizes):
        s = list(self.shape)
        d = dim % len(s)
        return self.reshape(s[:d] + list(sizes) + s[d + 1:])

    def t(self): return op('t', self)

    @property
    def T(self):
        n = self.ndim
        if n <= 2:
            return op('t', self)
        return self.permute(*range(n - 1, -1, -1))

    @property
    def mT(self):
        return self.transpose(-2, -1)

    def transpose(self, dim0, dim1): return op('transpose', self, None, _p(dim0=_int(dim0), dim1=_int(dim1)))
    swapaxes = swapdims = transpose
    def permute(self, *dims): return op('permute', self, None, _p(dims=_shape_args(dims)))
    def unsqueeze(self, dim): return op('unsqueeze', self, None, _p(dim=_int(dim)))
    def squeeze(self, dim=None): return op('squeeze', self, None, _p(dim=None if dim is None else _int(dim)))

    def expand(self, *sizes): return op('expand', self, None, _p(shape=_shape_args(sizes)))
    def expand_as(self, other): return self.expand(other.shape)
    def broadcast_to(self, shape): return self.expand(shape)

    def narrow(self, dim, start, length):
        return op('narrow', self, None, _p(dim=_int(dim), start=_int(start), length=_int(length)))

    def split(self, split_size, dim=0):
        n = self.shape[dim]
        if _isinstance(split_size, _int):
            sizes = [_pymin(split_size, n - i) for i in range(0, n, split_size)]
        else:
            sizes = list(split_size)
        out, at = [], 0
        for s in sizes:
            out.append(self.narrow(dim, at, s))
            at += s
        return tuple(out)

    def chunk(self, chunks, dim=0):
        n = self.shape[dim]
        return self.split(-(-n // chunks), dim)

    def unbind(self, dim=0):
        return tuple(self.select(dim, i) for i in range(self.shape[dim]))

    def select(self, dim, index):
        d = dim % self.ndim
        return self[(slice(None),) * d + (index,)]

    def index_select(self, dim, index):
        d = dim % self.ndim
        return self[(slice(None),) * d + (index,)]

    def gather(self, dim, index):
        raise unsupported('Tensor.gather')

    def contiguous(self, memory_format=None): return self
    def is_contiguous(self, memory_format=None): return True

    def repeat(self, *sizes):
        sizes = _shape_args(sizes)
        from . import cat
        x = self
        while x.ndim < len(sizes):
            x = x.unsqueeze(0)
        for d, k in enumerate(sizes):
            if k != 1:
                x = cat([x] * k, d)
        return x

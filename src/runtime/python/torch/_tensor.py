"""torch.Tensor for Gradlens: a Python handle on an engine Ref. Every op is one bridge call.

This module is what the methods are built on: dtypes, Size, wrapping Refs as Tensors, and `op`/`opn`,
which run one engine op. The methods come in groups, one module each (`_tensor_math.py`,
`_tensor_shape.py` …), mixed into `Tensor` at the end of this file.
"""
import builtins
from collections import namedtuple
from types import FunctionType as _FunctionType

from ._core import B, JsException, convert, dumps, loc, unsupported, ShapeError, UnsupportedError  # noqa: F401
from ._core import b_op as _b_op, b_op_scalar as _b_op_scalar, b_op_n as _b_op_n, b_inplace as _b_inplace

_new = object.__new__
_isinstance = builtins.isinstance
_int, _float, _bool = builtins.int, builtins.float, builtins.bool


class dtype:
    __slots__ = ('name', 'engine', 'is_floating_point', 'itemsize')

    def __init__(self, name, engine, is_float, itemsize):
        self.name, self.engine, self.is_floating_point, self.itemsize = name, engine, is_float, itemsize

    def __repr__(self):
        return 'torch.' + self.name

    @property
    def is_signed(self):
        return self.name != 'bool'


float32 = dtype('float32', 'float32', True, 4)
int64 = dtype('int64', 'int64', False, 8)
bool_ = dtype('bool', 'bool', False, 1)
_DT = {'float32': float32, 'int64': int64, 'bool': bool_}
# dtypes Gradlens maps onto the three it has (same values for the data the course uses).
int32 = dtype('int32', 'int64', False, 4)
int16 = dtype('int16', 'int64', False, 2)
int8 = dtype('int8', 'int64', False, 1)
uint8 = dtype('uint8', 'int64', False, 1)
float64 = dtype('float64', None, True, 8)
float16 = dtype('float16', None, True, 2)
bfloat16 = dtype('bfloat16', None, True, 2)


def engine_dtype(dt, default='float32'):
    if dt is None:
        return default
    if _isinstance(dt, dtype):
        if dt.engine is None:
            raise UnsupportedError(f'dtype torch.{dt.name} is not supported by Gradlens yet (it computes in float32)')
        return dt.engine
    if dt is _float:
        return 'float32'
    if dt is _int:
        return 'int64'
    if dt is _bool:
        return 'bool'
    if _isinstance(dt, str):
        return engine_dtype(_DT.get(dt.replace('torch.', ''), None) or globals().get(dt.replace('torch.', '')), default)
    raise TypeError(f'not a dtype: {dt!r}')


class Size(tuple):
    def numel(self):
        n = 1
        for d in self:
            n *= d
        return n

    def __repr__(self):
        return 'torch.Size([' + ', '.join(map(str, self)) + '])'

    def __getitem__(self, i):
        r = tuple.__getitem__(self, i)
        return Size(r) if _isinstance(i, slice) else r


# What max(dim)/min(dim) return.
MaxResult = namedtuple('max', ['values', 'indices'])
MinResult = namedtuple('min', ['values', 'indices'])


def _call(fn, *args):
    try:
        return fn(*args)
    except JsException as e:
        raise convert(e) from None


def wrap(r, cls=None):
    t = _new(cls or Tensor)
    t._r = r
    return t


def _scalar_ref(x, at):
    if _isinstance(x, _bool):
        return B.scalar(_int(x), 'bool', at)
    if _isinstance(x, _int):
        return B.scalar(x, 'int64', at)
    if _isinstance(x, _float):
        return B.scalar(x, 'float32', at)
    return None


def as_ref(x, at=-1):
    """A Tensor's Ref, or a 0-d leaf for a Python number (shown with its value in the graph)."""
    if _isinstance(x, Tensor):
        return x._r
    r = _scalar_ref(x, at)
    if r is not None:
        return r
    from . import tensor as _tensor
    if _isinstance(x, (list, tuple)) or hasattr(x, '__gradlens_array__'):
        return _tensor(x)._r
    if hasattr(x, 'item') and hasattr(x, 'dtype'):  # numpy-like scalar
        return as_ref(x.item(), at)
    raise TypeError(f"unsupported operand type for a tensor op: '{type(x).__name__}'")


_UNARY = object()


def op(name, a, b=_UNARY, params=None):
    """One engine op. `b` is left out for unary ops; `op(name, x, None, params)` passes params."""
    at = loc()
    try:
        if b is _UNARY or (b is None and params is not None):
            ra = a._r if _isinstance(a, Tensor) else as_ref(a, at)
            r = _new(Tensor)
            r._r = _b_op(name, ra, None, params, at)
            return r
        # A Python number operand: made and used in one bridge call.
        tb = type(b)
        if (tb is _float or tb is _int) and _isinstance(a, Tensor):
            r = _new(Tensor)
            r._r = _b_op_scalar(name, a._r, b, 'float32' if tb is _float else 'int64', False, params, at)
            return r
        ta = type(a)
        if (ta is _float or ta is _int) and _isinstance(b, Tensor):
            r = _new(Tensor)
            r._r = _b_op_scalar(name, b._r, a, 'float32' if ta is _float else 'int64', True, params, at)
            return r
        ra = a._r if _isinstance(a, Tensor) else as_ref(a, at)
        rb = b._r if _isinstance(b, Tensor) else as_ref(b, at)
        r = _new(Tensor)
        r._r = _b_op(name, ra, rb, params, at)
        return r
    except JsException as e:
        raise convert(e) from None


def opn(name, tensors, params=None):
    at = loc()
    try:
        refs = [as_ref(t, at) for t in tensors]
        return wrap(_b_op_n(name, refs, params, at))
    except JsException as e:
        raise convert(e) from None


def _inplace(self, name, others=(), params=None):
    at = loc()
    was = None
    if self.__dict__.get('_nograd'):
        was = B.setGradEnabled(False)
    try:
        refs = [as_ref(o, at) for o in others]
        _b_inplace(self._r, name, refs, params, at)
    except JsException as e:
        raise convert(e) from None
    finally:
        if was is not None:
            B.setGradEnabled(was)
    return self


def _p(**kw):
    return dumps(kw)


def _dims(dim):
    if dim is None:
        return None
    if _isinstance(dim, (tuple, list)):
        return [_int(d) for d in dim]
    return _int(dim)


def _shape_args(args):
    if len(args) == 1 and _isinstance(args[0], (tuple, list)):
        args = args[0]
    return [_int(a) for a in args]


def as_tensor_like(x):
    if _isinstance(x, Tensor):
        return x
    from . import tensor as _tensor
    return _tensor(x)


class TensorBase:
    """Shape, dtype and device. The method groups test `isinstance(x, TensorBase)`: they are loaded
    before `Tensor` exists, and only `Tensor` derives from this class."""
    __slots__ = ()

    @property
    def shape(self):
        s = B.shape(self._r)
        return Size(map(_int, s.split(','))) if s else Size()

    def size(self, dim=None):
        s = self.shape
        return s if dim is None else s[dim]

    @property
    def dtype(self):
        return _DT[B.dtype(self._r)]

    @property
    def ndim(self):
        return len(self.shape)

    def dim(self):
        return len(self.shape)

    ndimension = dim

    def numel(self):
        return self.shape.numel()

    nelement = numel

    @property
    def device(self):
        from . import device
        return device('cpu')

    is_cuda = False


# ---- Tensor -----------------------------------------------------------------------------------
# The method groups import the helpers above, so they are loaded here, once those exist.
from ._tensor_autograd import TensorAutograd  # noqa: E402
from ._tensor_conversion import TensorConversion  # noqa: E402
from ._tensor_indexing import TensorIndexing  # noqa: E402
from ._tensor_inplace import TensorInPlace  # noqa: E402
from ._tensor_math import TensorMath  # noqa: E402
from ._tensor_reductions import TensorReductions  # noqa: E402
from ._tensor_shape import TensorShape  # noqa: E402


class Tensor(TensorMath, TensorInPlace, TensorReductions, TensorShape, TensorIndexing, TensorConversion,
             TensorAutograd, TensorBase):
    # The groups have no slots: `_r` (the engine Ref) and the instance dict are laid out here.
    __slots__ = ('_r', '__dict__', '__weakref__')
    __array_priority__ = 1000

    def __new__(cls, *args, **kwargs):
        # torch.Tensor(data) / torch.Tensor(2, 3): the legacy float constructor.
        from . import tensor as _tensor, empty
        if len(args) == 1 and not _isinstance(args[0], _int):
            t = _tensor(args[0], dtype=float32)
        else:
            t = empty(*args)
        obj = _new(cls)
        obj._r = t._r
        return obj

    def __init__(self, *args, **kwargs):
        pass


def _name_methods_after(cls):
    """The groups' methods are named `Tensor.<name>`, as when they were written in the class: it is the
    name Python's TypeErrors show (`Tensor.sum() got an unexpected keyword argument 'foo'`)."""
    for group in cls.__mro__[1:-1]:
        prefix = group.__name__ + '.'
        for attr in vars(group).values():
            for fn in (attr.fget, attr.fset, attr.fdel) if _isinstance(attr, property) else (attr,):
                if _isinstance(fn, _FunctionType) and fn.__qualname__.startswith(prefix):
                    fn.__qualname__ = cls.__name__ + '.' + fn.__qualname__[len(prefix):]


_name_methods_after(Tensor)


_UNSUPPORTED_METHODS = (
    'cumsum', 'cumprod', 'sort', 'argsort', 'topk', 'unique', 'nonzero', 'flip', 'roll',
    'scatter', 'scatter_', 'scatter_add', 'scatter_add_', 'index_add', 'index_add_', 'index_fill_', 'masked_select',
    'masked_scatter', 'put_', 'take', 'diag', 'diagonal', 'trace', 'kthvalue', 'median', 'mode', 'histc',
    'bincount', 'fmod', 'erf', 'erfinv', 'lgamma', 'digamma', 'atan', 'atan2', 'asin', 'acos', 'sinh', 'cosh',
    'tan', 'trunc', 'frac', 'logit', 'bernoulli', 'bernoulli_', 'multinomial', 'exponential_', 'geometric_',
    'cauchy_', 'log_normal_', 'unfold', 'stride', 'storage', 'data_ptr', 'share_memory_', 'pin_memory', 'to_sparse',
    'outer', 'cross', 'kron', 'inverse', 'det', 'logdet', 'pinverse', 'cholesky', 'matrix_power', 'addmm',
    'addmv', 'addbmm', 'baddbmm', 'einsum', 'tensordot', 'movedim', 'moveaxis', 'tile', 'repeat_interleave',
    'register_hook', 'sum_to_size', 'renorm', 'nan_to_num', 'count_nonzero', 'logaddexp', 'hypot',
)


def _make_unsupported(name):
    def method(self, *args, **kwargs):
        raise unsupported(f'Tensor.{name}')
    method.__name__ = name
    return method


for _name in _UNSUPPORTED_METHODS:
    if not hasattr(Tensor, _name):
        setattr(Tensor, _name, _make_unsupported(_name))

"""torch.Tensor for Gradlens: a Python handle on an engine Ref. Every op is one bridge call."""
import builtins
import math
from collections import namedtuple

from ._core import B, JsException, convert, dumps, loc, unsupported, ShapeError, UnsupportedError
from ._core import b_op as _b_op, b_op_scalar as _b_op_scalar, b_op_n as _b_op_n, b_inplace as _b_inplace

_new = object.__new__
_isinstance = builtins.isinstance
_int, _float, _bool = builtins.int, builtins.float, builtins.bool
_pymax, _pymin, _pysum = builtins.max, builtins.min, builtins.sum


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


def _index_value(v):
    if v is None or _isinstance(v, _int):
        return v
    if _isinstance(v, Tensor):
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
            if _isinstance(k, Tensor):
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


MaxResult = namedtuple('max', ['values', 'indices'])
MinResult = namedtuple('min', ['values', 'indices'])


class _GradFn:
    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name

    def __repr__(self):
        return f'<{self._name} object>'


class Tensor:
    __slots__ = ('_r', '__dict__', '__weakref__')
    __array_priority__ = 1000
    __hash__ = object.__hash__

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

    # ---- metadata ----------------------------------------------------------------------------
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

    @property
    def requires_grad(self):
        return B.requiresGrad(self._r)

    @requires_grad.setter
    def requires_grad(self, flag):
        _call(B.setRequiresGrad, self._r, _bool(flag))

    def requires_grad_(self, requires_grad=True):
        _call(B.setRequiresGrad, self._r, _bool(requires_grad))
        return self

    @property
    def is_leaf(self):
        return B.isLeaf(self._r)

    @property
    def grad_fn(self):
        name = B.hasGradFn(self._r)
        if not name:
            return None
        return _GradFn(''.join(w.capitalize() for w in name.split('_')) + 'Backward0')

    @property
    def grad(self):
        g = B.grad(self._r)
        return None if g is None else wrap(g)

    @grad.setter
    def grad(self, value):
        B.setGrad(self._r, None if value is None else value._r)

    @property
    def g(self):
        try:
            return self.__dict__['g']
        except KeyError:
            raise AttributeError("'Tensor' object has no attribute 'g'") from None

    @g.setter
    def g(self, value):
        if value is not None and not _isinstance(value, Tensor):
            from . import tensor as _tensor
            value = _tensor(value)
        self.__dict__['g'] = value
        B.setUserGrad(self._r, None if value is None else value._r)

    @g.deleter
    def g(self):
        self.__dict__.pop('g', None)
        B.setUserGrad(self._r, None)

    def retain_grad(self):
        _call(B.retainGrad, self._r)

    @property
    def retains_grad(self):
        return False

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        if create_graph:
            raise unsupported('backward(create_graph=True)')
        if inputs is not None:
            raise unsupported('backward(inputs=...)')
        g = None if gradient is None else as_ref(gradient)
        _call(B.backward, self._r, g)

    @property
    def data(self):
        t = wrap(self._r)
        t.__dict__['_nograd'] = True
        return t

    @data.setter
    def data(self, value):
        was = B.setGradEnabled(False)
        try:
            _call(B.overwrite, self._r, as_ref(value), 'data', loc())
        finally:
            B.setGradEnabled(was)

    # ---- conversion --------------------------------------------------------------------------
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

    # ---- arithmetic --------------------------------------------------------------------------
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

    def __ne__(self, o):
        if o is None:
            return True
        return op('ne', self, o)

    def __lt__(self, o): return op('lt', self, o)
    def __le__(self, o): return op('le', self, o)
    def __gt__(self, o): return op('gt', self, o)
    def __ge__(self, o): return op('ge', self, o)

    def __iadd__(self, o): return _inplace(self, 'add', (o,))
    def __isub__(self, o): return _inplace(self, 'sub', (o,))
    def __imul__(self, o): return _inplace(self, 'mul', (o,))
    def __itruediv__(self, o): return _inplace(self, 'div', (o,))
    def __ipow__(self, o): return _inplace(self, 'pow', (o,))

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
        if _isinstance(min, Tensor) or _isinstance(max, Tensor):
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

    # ---- in place ----------------------------------------------------------------------------
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
        return self.copy_(self.masked_fill(mask, value if _isinstance(value, Tensor) else _tensor(value, dtype=self.dtype)))

    def addmm_(self, *a, **k):
        raise unsupported('Tensor.addmm_')

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        if _isinstance(value, Tensor):
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

    # ---- reductions --------------------------------------------------------------------------
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
        if _isinstance(dim, Tensor):
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

    # ---- shape -------------------------------------------------------------------------------
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

    # ---- dtype and device ------------------------------------------------------------------
    def to(self, *args, **kwargs):
        dt = kwargs.get('dtype')
        for a in args:
            if _isinstance(a, dtype):
                dt = a
            elif _isinstance(a, Tensor):
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

    # ---- indexing ----------------------------------------------------------------------------
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


def _triangle(x, diagonal, lower):
    """tril/triu over the last two dims as a `where` with an index mask (exact, differentiable)."""
    from . import arange, where, zeros_like
    if x.ndim < 2:
        raise RuntimeError(f'{"tril" if lower else "triu"}: input tensor must have at least 2 dimensions')
    r, c = x.shape[-2], x.shape[-1]
    rows, cols = arange(r)[:, None], arange(c)[None, :]
    keep = (cols - rows <= diagonal) if lower else (cols - rows >= diagonal)
    return where(keep, x, zeros_like(x))


def as_tensor_like(x):
    if _isinstance(x, Tensor):
        return x
    from . import tensor as _tensor
    return _tensor(x)


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

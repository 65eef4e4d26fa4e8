"""`torch` for Gradlens: the same names as PyTorch, computed by Gradlens' engine.

What is not covered raises UnsupportedError naming the function; never a wrong number.
"""
import builtins as _builtins
import math as _math
import sys as _sys
import types as _types

from ._core import B as _B, JsException as _JsException, convert as _convert, loc as _loc, dumps as _dumps
from ._core import unsupported as _unsupported, ShapeError, UnsupportedError  # noqa: F401
from ._tensor import (  # noqa: F401
    Tensor, Size, dtype, wrap as _wrap, op as _op, opn as _opn, as_ref as _as_ref, engine_dtype as _engine_dtype,
    float32, int64, bool_ as bool, int32, int16, int8, uint8, float64, float16, bfloat16, _call, _p, _dims,
)

__version__ = '1.13.0+gradlens'
float = float32
long = int64
int = int32
double = float64
half = float16
cfloat = cdouble = complex64 = complex128 = None

_isinstance = _builtins.isinstance
_pyint, _pyfloat, _pybool = _builtins.int, _builtins.float, _builtins.bool


class device:
    def __init__(self, type='cpu', index=None):
        self.type = str(type).split(':')[0]
        self.index = index

    def __repr__(self):
        return f"device(type='{self.type}')"

    def __eq__(self, o):
        return str(o) == self.type or (_isinstance(o, device) and o.type == self.type)

    def __hash__(self):
        return hash(self.type)

    def __str__(self):
        return self.type


class _Cuda(_types.ModuleType):
    def is_available(self):
        return False

    def device_count(self):
        return 0

    def manual_seed(self, seed):
        pass

    def manual_seed_all(self, seed):
        pass


cuda = _Cuda('torch.cuda')
_sys.modules['torch.cuda'] = cuda


def _size(args):
    if len(args) == 1 and _isinstance(args[0], (tuple, list)):
        args = args[0]
    return _dumps([_pyint(a) for a in args])


def _leaf_dtype(dtype, default='float32'):
    return _engine_dtype(dtype, default)


# ---- creation ----------------------------------------------------------------------------------

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


def _random(kind, size, a=0.0, b=0.0, dtype=None, requires_grad=False, generator=None):
    if generator is not None and generator is not default_generator:
        raise _unsupported(f'torch.{kind}(generator=...)')
    dt = _leaf_dtype(dtype, 'int64' if kind in ('randint', 'randperm') else 'float32')
    return _wrap(_call(_B.random, kind, _size(size), a, b, dt, _pybool(requires_grad), _loc()))


def randn(*size, dtype=None, device=None, requires_grad=False, generator=None, out=None):
    return _random('randn', size, 0, 1, dtype, requires_grad, generator)


def rand(*size, dtype=None, device=None, requires_grad=False, generator=None, out=None):
    return _random('rand', size, 0, 1, dtype, requires_grad, generator)


def randn_like(t, dtype=None, device=None, requires_grad=False):
    return _random('randn', (t.shape,), 0, 1, dtype or t.dtype, requires_grad)


def rand_like(t, dtype=None, device=None, requires_grad=False):
    return _random('rand', (t.shape,), 0, 1, dtype or t.dtype, requires_grad)


def randint(low, high=None, size=None, dtype=None, device=None, requires_grad=False, generator=None):
    if size is None and _isinstance(high, (tuple, list)):
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    return _random('randint', (size,), _pyint(low), _pyint(high), dtype, requires_grad, generator)


def randperm(n, dtype=None, device=None, requires_grad=False, generator=None):
    if generator is not None and generator is not default_generator:
        raise _unsupported('torch.randperm(generator=...)')
    return _wrap(_call(_B.random, 'randperm', _dumps([_pyint(n)]), _pyint(n), 0, _leaf_dtype(dtype, 'int64'), False, _loc()))


def normal(mean=0.0, std=1.0, size=None, generator=None, dtype=None, requires_grad=False):
    if _isinstance(mean, Tensor) or _isinstance(std, Tensor):
        raise _unsupported('torch.normal with tensor mean/std')
    return _random('normal', (size,), _pyfloat(mean), _pyfloat(std), dtype, requires_grad, generator)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False, out=None):
    if end is None:
        start, end = 0, start
    vals = [start, end, step]
    vals = [v.item() if _isinstance(v, Tensor) else v for v in vals]
    default = 'float32' if _builtins.any(_isinstance(v, _pyfloat) for v in vals) else 'int64'
    return _wrap(_call(_B.arange, vals[0], vals[1], vals[2], _leaf_dtype(dtype, default), _pybool(requires_grad), _loc()))


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    return _wrap(_call(_B.linspace, _pyfloat(start), _pyfloat(end), _pyint(steps), _pybool(requires_grad), _loc()))


class Generator:
    def __init__(self, device='cpu'):
        raise _unsupported('torch.Generator (use torch.manual_seed)')


class _DefaultGenerator:
    def manual_seed(self, seed):
        manual_seed(seed)
        return self


default_generator = _DefaultGenerator()


def manual_seed(seed):
    _B.manualSeed(str(_pyint(seed)))
    return default_generator


def seed():
    raise _unsupported('torch.seed')


def initial_seed():
    return _pyint(_B.initialSeed())


def set_printoptions(*args, **kwargs):
    pass


def set_default_dtype(d):
    if d is not float32:
        raise _unsupported(f'torch.set_default_dtype({d!r})')


def get_default_dtype():
    return float32


def is_tensor(x):
    return _isinstance(x, Tensor)


def is_floating_point(x):
    return x.is_floating_point()


def numel(x):
    return x.numel()


# ---- grad mode ----------------------------------------------------------------------------------

class set_grad_enabled:
    def __init__(self, mode=True):
        self.mode = _pybool(mode)
        self.prev = _B.setGradEnabled(self.mode)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        _B.setGradEnabled(self.prev)
        return False


class _GradMode:
    enabled = False

    def __enter__(self):
        self.prev = _B.setGradEnabled(self.enabled)
        return None

    def __exit__(self, *exc):
        _B.setGradEnabled(self.prev)
        return False

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*a, **k):
            with self.__class__():
                return fn(*a, **k)
        return wrapper


class no_grad(_GradMode):
    enabled = False


class enable_grad(_GradMode):
    enabled = True


class inference_mode(_GradMode):
    enabled = False

    def __init__(self, mode=True):
        self.enabled = not mode


def is_grad_enabled():
    return _B.gradEnabled()


# ---- functions mirroring tensor methods -------------------------------------------------------

def _method(name):
    def fn(input, *args, **kwargs):
        if not _isinstance(input, Tensor):
            input = tensor(input)
        return getattr(input, name)(*args, **kwargs)
    fn.__name__ = name
    return fn


for _name in ('exp', 'log', 'sqrt', 'rsqrt', 'tanh', 'sigmoid', 'sin', 'cos', 'abs', 'neg', 'square', 'relu',
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
              'repeat_interleave', 'movedim', 'bincount', 'cosh', 'sinh', 'asin', 'acos', 'atan2'):
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


def save(*args, **kwargs):
    raise _unsupported('torch.save')


def load(*args, **kwargs):
    raise _unsupported('torch.load')


def compile(model=None, **kwargs):
    return model if model is not None else (lambda m: m)


FloatTensor = Tensor


def LongTensor(*args):
    if len(args) == 1 and not _isinstance(args[0], _pyint):
        return tensor(args[0], dtype=int64)
    return zeros(*args, dtype=int64)


def BoolTensor(*args):
    if len(args) == 1 and not _isinstance(args[0], _pyint):
        return tensor(args[0], dtype=bool)
    return zeros(*args, dtype=bool)


class _Stub:
    """Any torch attribute Gradlens does not have: fails with its name when used."""

    def __init__(self, name):
        self.__name = name

    def __getattr__(self, attr):
        if attr.startswith('__'):
            raise AttributeError(attr)
        return _Stub(f'{self.__name}.{attr}')

    def __call__(self, *args, **kwargs):
        raise _unsupported(self.__name)

    def __repr__(self):
        return f'<{self.__name}: not supported by Gradlens>'

    def __mro_entries__(self, bases):
        raise _unsupported(self.__name)


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    return _Stub(f'torch.{name}')


class _StubModule(_types.ModuleType):
    def __getattr__(self, attr):
        if attr.startswith('__'):
            raise AttributeError(attr)
        return _Stub(f'{self.__name__}.{attr}')


class _TorchStubFinder:
    """`import torch.fft` etc.: a module whose functions fail with their names."""

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if not fullname.startswith('torch.'):
            return None
        import importlib.machinery
        import importlib.util
        for finder in _sys.meta_path:
            if finder is cls or not hasattr(finder, 'find_spec'):
                continue
            try:
                if finder.find_spec(fullname, path, target) is not None:
                    return None
            except Exception:
                continue
        return importlib.util.spec_from_loader(fullname, cls)

    @staticmethod
    def create_module(spec):
        return _StubModule(spec.name)

    @staticmethod
    def exec_module(module):
        pass


if _TorchStubFinder not in _sys.meta_path:
    _sys.meta_path.append(_TorchStubFinder)

# Submodules by import_module: `from . import x` would find the module __getattr__ stub first.
import importlib as _importlib  # noqa: E402
for _sub in ('nn', 'nn.functional', 'nn.init', 'optim', 'optim.lr_scheduler', 'utils', 'utils.data', 'autograd'):
    _importlib.import_module('torch.' + _sub)
nn = _sys.modules['torch.nn']
optim = _sys.modules['torch.optim']
utils = _sys.modules['torch.utils']
autograd = _sys.modules['torch.autograd']

"""A tiny stand-in for numpy inside Gradlens: arrays from pickles and .npy files become tensors.

Gradlens' Python has no numpy; what the course needs (pickled MNIST arrays, np.load of .npy,
np.array of small lists, a few scalar functions) is here. Anything else fails naming the function.
"""
import ast as _ast
import math as _math

from torch._core import B as _B, to_js as _to_js, loc as _loc, unsupported as _unsupported
from torch._tensor import Tensor as _Tensor, wrap as _wrap, _call

pi = _math.pi
e = _math.e
inf = _math.inf
nan = _math.nan
newaxis = None
__version__ = '0.0-gradlens'


class dtype:
    _CODES = {'f4': 'float32', 'f8': 'float64', 'f2': 'float16', 'i8': 'int64', 'i4': 'int32', 'i2': 'int16',
              'i1': 'int8', 'u1': 'uint8', 'u2': 'uint16', 'u4': 'uint32', 'u8': 'uint64', 'b1': 'bool'}

    def __init__(self, spec='f8', align=False, copy=False):
        if isinstance(spec, dtype):
            spec = spec.code
        elif isinstance(spec, type) and hasattr(spec, '_code'):
            spec = spec._code
        elif spec is float:
            spec = 'f8'
        elif spec is int:
            spec = 'i8'
        elif spec is bool:
            spec = 'b1'
        s = str(spec).lstrip('<>=|')
        by_name = {v: k for k, v in self._CODES.items()}
        if s in by_name:
            s = by_name[s]
        elif s == '?':
            s = 'b1'
        elif len(s) >= 1 and s[0] in 'fiub' and s[1:].isdigit() and s not in self._CODES:
            s = s[0] + s[1:]
        if s not in self._CODES:
            raise _unsupported(f"numpy dtype '{spec}'")
        self.code = s
        self.name = self._CODES[s]

    def __setstate__(self, state):
        pass

    def __repr__(self):
        return f"dtype('{self.name}')"

    def __eq__(self, o):
        try:
            return dtype(o).code == self.code
        except Exception:
            return False

    def __hash__(self):
        return hash(self.code)


def _scalar_type(name, code):
    return type(name, (), {'_code': code, '__new__': lambda cls, v=0: (float if code[0] == 'f' else bool if code == 'b1' else int)(v)})


float32 = _scalar_type('float32', 'f4')
float64 = _scalar_type('float64', 'f8')
float16 = _scalar_type('float16', 'f2')
int64 = _scalar_type('int64', 'i8')
int32 = _scalar_type('int32', 'i4')
int16 = _scalar_type('int16', 'i2')
int8 = _scalar_type('int8', 'i1')
uint8 = _scalar_type('uint8', 'u1')
bool_ = _scalar_type('bool_', 'b1')
float_ = float64
int_ = int64


class ndarray:
    """An array backed by a Gradlens tensor (float data becomes float32, integers int64)."""

    def __init__(self, *args, **kwargs):
        self._t = None
        self.dtype = dtype('f8')
        self._shape = (0,)

    # pickle protocol ≤ 4: _reconstruct(ndarray, (0,), b'b') then __setstate__
    def __setstate__(self, state):
        if len(state) == 5:
            _version, shape, dt, fortran, raw = state
        else:
            shape, dt, fortran, raw = state
        if isinstance(raw, str):
            raw = raw.encode('latin-1')
        if isinstance(raw, list):
            raise _unsupported('numpy object arrays')
        self._set(bytes(raw), tuple(shape), dt, fortran)

    def _set(self, raw, shape, dt, fortran=False):
        dt = dt if isinstance(dt, dtype) else dtype(dt)
        self.dtype = dt
        self._shape = tuple(int(s) for s in shape)
        if fortran and len(shape) > 1:
            rev = tuple(reversed(self._shape))
            r = _call(_B.fromBytes, _to_js(raw), _json(rev), dt.code, _loc())
            self._t = _wrap(r).permute(*range(len(rev) - 1, -1, -1)).contiguous().clone()
        else:
            self._t = _wrap(_call(_B.fromBytes, _to_js(raw), _json(self._shape), dt.code, _loc()))
        return self

    def __gradlens_array__(self):
        return self._t

    @property
    def shape(self):
        return self._shape

    @property
    def ndim(self):
        return len(self._shape)

    @property
    def size(self):
        n = 1
        for s in self._shape:
            n *= s
        return n

    def __len__(self):
        return self._shape[0]

    def __repr__(self):
        return 'array' + repr(self._t)[len('tensor'):]

    def __getitem__(self, k):
        return _from_tensor(self._t[k], self.dtype)

    def reshape(self, *shape):
        return _from_tensor(self._t.reshape(*shape), self.dtype)

    def astype(self, dt):
        d = dtype(dt)
        import torch
        target = torch.int64 if d.code[0] in 'iu' else torch.bool if d.code == 'b1' else torch.float32
        return _from_tensor(self._t.to(target), d)

    def tolist(self):
        return self._t.tolist()

    def item(self):
        return self._t.item()

    def min(self, axis=None):
        return self._t.min().item() if axis is None else _from_tensor(self._t.min(axis).values)

    def max(self, axis=None):
        return self._t.max().item() if axis is None else _from_tensor(self._t.max(axis).values)

    def mean(self, axis=None):
        return self._t.float().mean().item() if axis is None else _from_tensor(self._t.float().mean(axis))

    def sum(self, axis=None):
        return self._t.sum().item() if axis is None else _from_tensor(self._t.sum(axis))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __array__(self):
        return self


def _json(shape):
    import json
    return json.dumps(list(shape))


def _from_tensor(t, dt=None):
    a = ndarray.__new__(ndarray)
    a._t = t
    a._shape = tuple(t.shape)
    a.dtype = dt or dtype({'float32': 'f4', 'int64': 'i8', 'bool': 'b1'}[t.dtype.name])
    return a


def _reconstruct(cls, shape, typecode):
    return ndarray.__new__(ndarray)


def _frombuffer(buf, dt, shape, order):
    a = ndarray.__new__(ndarray)
    return a._set(bytes(buf), shape, dt, order == 'F')


def _scalar(dt, raw):
    a = ndarray.__new__(ndarray)
    a._set(raw if isinstance(raw, bytes) else raw.encode('latin-1'), (), dt)
    return a.item()


_pickle_ndarray = ndarray
_pickle_dtype = dtype


def load(file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding='ASCII'):
    """.npy files (format 1.0-3.0): header, then raw little-endian data."""
    own = isinstance(file, (str, bytes)) or hasattr(file, '__fspath__')
    f = open(file, 'rb') if own else file
    try:
        magic = f.read(6)
        if magic != b'\x93NUMPY':
            if magic[:2] == b'PK':
                raise _unsupported('numpy.load of .npz archives')
            raise ValueError('numpy.load: not a .npy file')
        major = f.read(2)[0]
        hlen = int.from_bytes(f.read(2 if major == 1 else 4), 'little')
        header = _ast.literal_eval(f.read(hlen).decode('latin-1'))
        descr = header['descr']
        if not isinstance(descr, str) or descr.startswith('>') or 'O' in descr:
            raise _unsupported(f'numpy.load of arrays with dtype {descr!r}')
        raw = f.read()
        a = ndarray.__new__(ndarray)
        return a._set(raw, header['shape'], dtype(descr), header.get('fortran_order', False))
    finally:
        if own:
            f.close()


def array(obj, dtype=None, copy=True):
    import torch
    if isinstance(obj, ndarray):
        return obj if dtype is None else obj.astype(dtype)
    t = obj.detach() if isinstance(obj, _Tensor) else torch.tensor(obj)
    a = _from_tensor(t)
    return a if dtype is None else a.astype(dtype)


asarray = array


def _math_fn(name):
    m = getattr(_math, name)

    def fn(x, *args):
        if isinstance(x, ndarray):
            return _from_tensor(getattr(x._t.float(), name)())
        if isinstance(x, _Tensor):
            return getattr(x, name)()
        return m(x, *args)
    fn.__name__ = name
    return fn


sqrt = _math_fn('sqrt')
exp = _math_fn('exp')
log = _math_fn('log')
sin = _math_fn('sin')
cos = _math_fn('cos')
tanh = _math_fn('tanh')
floor = _math_fn('floor')
ceil = _math_fn('ceil')


def set_printoptions(*args, **kwargs):
    pass


def abs(x):
    return x.abs() if hasattr(x, 'abs') else (x if x >= 0 else -x)


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    from torch import _Stub
    return _Stub(f'numpy.{name}')  # np.random.seed(0) fails naming numpy.random.seed

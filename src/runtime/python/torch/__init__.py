"""`torch` for Gradlens: the same names as PyTorch, computed by Gradlens' engine.

What is not covered raises UnsupportedError naming the function; never a wrong number.
The names are defined in `_tensor.py` (Tensor, dtypes), `_creation.py`, `_random.py`, `_grad_mode.py`,
`_functions.py` (torch.exp, torch.cat …) and `_stubs.py` (whatever Gradlens lacks); the rest here.
"""
import builtins as _builtins
import sys as _sys
import types as _types

from ._core import unsupported as _unsupported, ShapeError, UnsupportedError  # noqa: F401
from ._tensor import (  # noqa: F401
    Tensor, Size, dtype, float32, int64, bool_ as bool, int32, int16, int8, uint8, float64, float16, bfloat16,
)
from . import _creation, _random, _grad_mode, _functions, _stubs
from ._creation import *  # noqa: F401,F403
from ._random import *  # noqa: F401,F403
from ._grad_mode import *  # noqa: F401,F403
from ._functions import *  # noqa: F401,F403
from ._stubs import _Stub, _TorchStubFinder

__version__ = '1.13.0+gradlens'
float = float32
long = int64
int = int32
double = float64
half = float16
cfloat = cdouble = complex64 = complex128 = None

_isinstance = _builtins.isinstance


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


def save(*args, **kwargs):
    raise _unsupported('torch.save')


def load(*args, **kwargs):
    raise _unsupported('torch.load')


def compile(model=None, **kwargs):
    return model if model is not None else (lambda m: m)


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    return _Stub(f'torch.{name}')


# Defined in the modules above, these are torch's names: they show `torch` as their module (in reprs).
for _module in (_creation, _random, _grad_mode, _functions, _stubs):
    for _obj in list(vars(_module).values()):
        if _isinstance(_obj, (type, _types.FunctionType)) and _obj.__module__ == _module.__name__:
            _obj.__module__ = __name__
del _module, _obj

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

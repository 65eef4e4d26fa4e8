"""Random tensors and the seed: the engine draws them with PyTorch's CPU generator (same numbers per seed)."""
import builtins as _builtins

from ._core import B as _B, loc as _loc, dumps as _dumps, unsupported as _unsupported
from ._tensor import Tensor, wrap as _wrap, _call
from ._creation import _size, _leaf_dtype

__all__ = ['randn', 'rand', 'randn_like', 'rand_like', 'randint', 'randperm', 'normal', 'Generator',
           'default_generator', 'manual_seed', 'seed', 'initial_seed']

_isinstance = _builtins.isinstance
_pyint, _pyfloat, _pybool = _builtins.int, _builtins.float, _builtins.bool


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

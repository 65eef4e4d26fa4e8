"""Grad mode: no_grad, enable_grad, inference_mode and set_grad_enabled switch the engine's flag."""
import builtins as _builtins

from ._core import B as _B

__all__ = ['set_grad_enabled', 'no_grad', 'enable_grad', 'inference_mode', 'is_grad_enabled']

_pybool = _builtins.bool


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

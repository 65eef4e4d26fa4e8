"""What Gradlens does not have fails with its name when used: `torch.fft.fft(x)` raises UnsupportedError."""
import sys as _sys
import types as _types

from ._core import unsupported as _unsupported


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

"""Containers: Sequential, ModuleList, ModuleDict, ParameterList."""
from collections import OrderedDict

from ._module import Module, Parameter

__all__ = ['Sequential', 'ModuleList', 'ModuleDict', 'ParameterList']


class _ModuleSequence(Module):
    """What Sequential and ModuleList share: their modules in order, by position."""

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self._sliced(list(self._modules.items())[i])
        return list(self._modules.values())[i]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, m):
        self.add_module(str(len(self)), m)
        return self


class Sequential(_ModuleSequence):
    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for k, m in args[0].items():
                self.add_module(k, m)
        else:
            for i, m in enumerate(args):
                self.add_module(str(i), m)

    def _sliced(self, items):
        return Sequential(OrderedDict(items))

    def forward(self, x):
        for m in self._modules.values():
            x = m(x)
        return x


class ModuleList(_ModuleSequence):
    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _sliced(self, items):
        return ModuleList(m for _, m in items)

    def __setitem__(self, i, m):
        key = list(self._modules.keys())[i]
        self.add_module(key, m)

    def extend(self, ms):
        for m in ms:
            self.append(m)
        return self

    def insert(self, index, m):
        mods = list(self._modules.values())
        mods.insert(index, m)
        self._modules.clear()
        for i, mm in enumerate(mods):
            self.add_module(str(i), mm)


class ModuleDict(Module):
    def __init__(self, modules=None):
        super().__init__()
        for k, m in (modules or {}).items():
            self.add_module(k, m)

    def __getitem__(self, k):
        return self._modules[k]

    def __setitem__(self, k, m):
        self.add_module(k, m)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()


class ParameterList(Module):
    def __init__(self, values=None):
        super().__init__()
        for i, p in enumerate(values or []):
            self.register_parameter(str(i), p if isinstance(p, Parameter) else Parameter(p))

    def __getitem__(self, i):
        return list(self._parameters.values())[i]

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters.values())

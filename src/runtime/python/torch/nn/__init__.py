"""torch.nn for Gradlens: Module bookkeeping as in PyTorch, layers computed by the engine.

Module and Parameter are in `_module.py`, the layers in `_layers.py`, the losses in `_losses.py`, the
containers in `_containers.py`; anything else is a module that fails with its name when made.
"""
import math

from .._core import unsupported
from . import functional as F  # noqa: F401
from . import init  # noqa: F401
from . import _module, _layers, _losses, _containers
from ._module import *  # noqa: F401,F403
from ._layers import *  # noqa: F401,F403
from ._losses import *  # noqa: F401,F403
from ._containers import *  # noqa: F401,F403

# Defined in the modules above, these are torch.nn's names: they show `torch.nn` as their module (in reprs).
for _mod in (_module, _layers, _losses, _containers):
    for _obj in list(vars(_mod).values()):
        if isinstance(_obj, type) and _obj.__module__ == _mod.__name__:
            _obj.__module__ = __name__
del _mod, _obj


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)

    def missing(*args, **kwargs):
        raise unsupported(f'torch.nn.{name}')

    class Missing(Module):
        def __init__(self, *args, **kwargs):
            raise unsupported(f'torch.nn.{name}')
    Missing.__name__ = name
    return Missing


# Keep math imported for subclasses written against torch's own nn module.
_ = math

from .._core import unsupported


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise unsupported(f'torch.optim.lr_scheduler.{name}')

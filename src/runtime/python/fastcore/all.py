"""fastcore.all as the course uses it: store_attr and chunked."""
import inspect
import itertools
from .test import test_close, test_eq, test  # noqa: F401


def store_attr(names=None, self=None, but='', **attrs):
    """Store the caller's arguments as attributes of `self`."""
    frame = inspect.currentframe().f_back
    args = frame.f_code.co_varnames[:frame.f_code.co_argcount + frame.f_code.co_kwonlyargcount]
    loc = frame.f_locals
    self = self or loc[args[0]]
    skip = set(but.split(',')) if but else set()
    wanted = [n.strip() for n in names.split(',')] if names else args[1:]
    for n in wanted:
        if n not in skip:
            setattr(self, n, loc[n])
    for k, v in attrs.items():
        setattr(self, k, v)


def chunked(it, chunk_sz=None, drop_last=False, n_chunks=None):
    it = iter(it)
    while True:
        res = list(itertools.islice(it, chunk_sz))
        if res and (len(res) == chunk_sz or not drop_last):
            yield res
        if len(res) < (chunk_sz or 1):
            return

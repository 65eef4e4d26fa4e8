"""Plots are ignored inside Gradlens: every matplotlib call does nothing."""


class _Sink:
    def __init__(self, *a, **k):
        pass

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _Sink()

    def __call__(self, *a, **k):
        return _Sink()

    def __getitem__(self, k):
        return _Sink()

    def __setitem__(self, k, v):
        pass

    def __iter__(self):
        return iter([_Sink(), _Sink()])

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


rcParams = _Sink()


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    return _Sink()

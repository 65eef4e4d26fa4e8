from matplotlib import _Sink, __getattr__  # noqa: F401

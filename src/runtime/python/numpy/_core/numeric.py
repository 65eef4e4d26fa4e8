from numpy import _frombuffer  # noqa: F401

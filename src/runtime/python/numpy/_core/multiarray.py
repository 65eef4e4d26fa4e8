from numpy import _reconstruct  # noqa: F401

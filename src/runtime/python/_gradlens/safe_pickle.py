"""pickle.load(s) that builds Gradlens tensors from numpy arrays and refuses every other class.

The course loads MNIST with `pickle.load(gzip.open(...), encoding='latin-1')`: a tuple of numpy
arrays pickled through numpy.core.multiarray._reconstruct. Those calls are mapped onto small
stand-ins here; the array bytes go to the engine in one copy.
"""
import io
import pickle

_real_Unpickler = pickle.Unpickler
_ALLOWED_BUILTINS = {'set', 'frozenset', 'complex', 'slice', 'range', 'bytearray', 'list', 'dict', 'tuple', 'object'}


def _numpy():
    import numpy
    return numpy


class RestrictedUnpickler(_real_Unpickler):
    def find_class(self, module, name):
        if module in ('numpy.core.multiarray', 'numpy._core.multiarray') and name == '_reconstruct':
            return _numpy()._reconstruct
        if module == 'numpy' and name in ('ndarray', 'dtype'):
            return getattr(_numpy(), '_pickle_' + name)
        if module in ('numpy.core.numeric', 'numpy._core.numeric') and name == '_frombuffer':
            return _numpy()._frombuffer
        if module in ('numpy.core.multiarray', 'numpy._core.multiarray', 'numpy') and name == 'scalar':
            return _numpy()._scalar
        if module in ('builtins', '__builtin__') and name in _ALLOWED_BUILTINS:
            import builtins
            return getattr(builtins, name)
        if module == '_codecs' and name == 'encode':  # bytes in protocol-2 pickles written by Python 3
            import _codecs
            return _codecs.encode
        if module in ('collections',) and name in ('OrderedDict',):
            import collections
            return collections.OrderedDict
        raise pickle.UnpicklingError(
            f"Gradlens loads only numpy arrays and plain Python data from pickles; refusing '{module}.{name}'")


def load(file, *, fix_imports=True, encoding='ASCII', errors='strict', buffers=None):
    return RestrictedUnpickler(file, fix_imports=fix_imports, encoding=encoding, errors=errors).load()


def loads(data, *, fix_imports=True, encoding='ASCII', errors='strict', buffers=None):
    return load(io.BytesIO(data), fix_imports=fix_imports, encoding=encoding, errors=errors)


def install():
    pickle.load = load
    pickle.loads = loads
    pickle.Unpickler = RestrictedUnpickler

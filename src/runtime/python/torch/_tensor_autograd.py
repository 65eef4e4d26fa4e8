"""Tensor autograd state: requires_grad, grad, grad_fn, backward, `.data`, and fastai's `.g`."""
import builtins

from ._core import B, loc, unsupported
from ._tensor import TensorBase, wrap, as_ref, _call

_isinstance = builtins.isinstance
_bool = builtins.bool


class _GradFn:
    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name

    def __repr__(self):
        return f'<{self._name} object>'


class TensorAutograd:
    __slots__ = ()

    @property
    def requires_grad(self):
        return B.requiresGrad(self._r)

    @requires_grad.setter
    def requires_grad(self, flag):
        _call(B.setRequiresGrad, self._r, _bool(flag))

    def requires_grad_(self, requires_grad=True):
        _call(B.setRequiresGrad, self._r, _bool(requires_grad))
        return self

    @property
    def is_leaf(self):
        return B.isLeaf(self._r)

    @property
    def grad_fn(self):
        name = B.hasGradFn(self._r)
        if not name:
            return None
        return _GradFn(''.join(w.capitalize() for w in name.split('_')) + 'Backward0')

    @property
    def grad(self):
        g = B.grad(self._r)
        return None if g is None else wrap(g)

    @grad.setter
    def grad(self, value):
        B.setGrad(self._r, None if value is None else value._r)

    @property
    def g(self):
        try:
            return self.__dict__['g']
        except KeyError:
            raise AttributeError("'Tensor' object has no attribute 'g'") from None

    @g.setter
    def g(self, value):
        if value is not None and not _isinstance(value, TensorBase):
            from . import tensor as _tensor
            value = _tensor(value)
        self.__dict__['g'] = value
        B.setUserGrad(self._r, None if value is None else value._r)

    @g.deleter
    def g(self):
        self.__dict__.pop('g', None)
        B.setUserGrad(self._r, None)

    def retain_grad(self):
        _call(B.retainGrad, self._r)

    @property
    def retains_grad(self):
        return False

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        if create_graph:
            raise unsupported('backward(create_graph=True)')
        if inputs is not None:
            raise unsupported('backward(inputs=...)')
        g = None if gradient is None else as_ref(gradient)
        _call(B.backward, self._r, g)

    @property
    def data(self):
        t = wrap(self._r)
        t.__dict__['_nograd'] = True
        return t

    @data.setter
    def data(self, value):
        was = B.setGradEnabled(False)
        try:
            _call(B.overwrite, self._r, as_ref(value), 'data', loc())
        finally:
            B.setGradEnabled(was)

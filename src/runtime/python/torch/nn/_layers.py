"""The layers: Linear, Embedding, LayerNorm, the activations, Softmax, Flatten, Dropout, Identity."""
from .._core import B, unsupported, loc
from .._tensor import _call
from . import functional as F
from . import init
from ._module import Module, Parameter

__all__ = ['Linear', 'Identity', 'ReLU', 'Sigmoid', 'Tanh', 'GELU', 'LeakyReLU', 'Softplus', 'Softmax',
           'LogSoftmax', 'Flatten', 'Dropout', 'Embedding', 'LayerNorm']


class Linear(Module):
    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        refs = _call(B.linear, int(in_features), int(out_features), bool(bias), loc())
        self.weight = _param(refs[0])
        self.bias = _param(refs[1]) if bias else None

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f'in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}'


def _param(ref):
    p = object.__new__(Parameter)
    p._r = ref
    return p


class Identity(Module):
    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x


def _act(name, fn, extra=''):
    class Act(Module):
        def __init__(self, *args, inplace=False, **kwargs):
            super().__init__()
            self.args, self.kwargs = args, kwargs

        def forward(self, x):
            return fn(x, *self.args, **self.kwargs)

        def extra_repr(self):
            return ', '.join([repr(a) for a in self.args] + [f'{k}={v!r}' for k, v in self.kwargs.items()])
    Act.__name__ = Act.__qualname__ = name
    return Act


ReLU = _act('ReLU', F.relu)
Sigmoid = _act('Sigmoid', F.sigmoid)
Tanh = _act('Tanh', F.tanh)
GELU = _act('GELU', F.gelu)
LeakyReLU = _act('LeakyReLU', F.leaky_relu)
Softplus = _act('Softplus', F.softplus)


class Softmax(Module):
    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return F.softmax(x, self.dim)

    def extra_repr(self):
        return f'dim={self.dim}'


class LogSoftmax(Softmax):
    def forward(self, x):
        return F.log_softmax(x, self.dim)


class Flatten(Module):
    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f'start_dim={self.start_dim}, end_dim={self.end_dim}'


class Dropout(Module):
    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, self.training)

    def extra_repr(self):
        return f'p={self.p}, inplace=False'


class Embedding(Module):
    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, **kwargs):
        super().__init__()
        if padding_idx is not None:
            raise unsupported('nn.Embedding(padding_idx=...)')
        from .. import empty
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.weight = Parameter(empty(num_embeddings, embedding_dim))
        init.normal_(self.weight)

    def forward(self, input):
        return F.embedding(input, self.weight)

    def extra_repr(self):
        return f'{self.num_embeddings}, {self.embedding_dim}'


class LayerNorm(Module):
    def __init__(self, normalized_shape, eps=1e-05, elementwise_affine=True, bias=True, **kwargs):
        super().__init__()
        from .. import ones, zeros
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape))
            self.bias = Parameter(zeros(*self.normalized_shape)) if bias else None
        else:
            self.weight = self.bias = None

    def forward(self, x):
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f'{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}'

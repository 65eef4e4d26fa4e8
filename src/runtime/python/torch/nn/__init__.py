"""torch.nn for Gradlens: Module bookkeeping as in PyTorch, layers computed by the engine."""
import math
from collections import OrderedDict

from .._core import B, unsupported, loc
from .._tensor import Tensor, wrap, _call
from . import functional as F  # noqa: F401
from . import init  # noqa: F401


class Parameter(Tensor):
    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from .. import empty
            data = empty(0)
        t = object.__new__(cls)
        t._r = data.detach()._r
        if requires_grad:
            t.requires_grad_(True)
        return t

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        return 'Parameter containing:\n' + Tensor.__repr__(self)


class Module:
    training = True

    def __init__(self, *args, **kwargs):
        object.__setattr__(self, '_parameters', OrderedDict())
        object.__setattr__(self, '_modules', OrderedDict())
        object.__setattr__(self, '_buffers', OrderedDict())
        object.__setattr__(self, 'training', True)

    def __setattr__(self, name, value):
        params = self.__dict__.get('_parameters')
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError('cannot assign parameters before Module.__init__() call')
            self._modules.pop(name, None)
            params[name] = value
        elif isinstance(value, Module):
            if params is None:
                raise AttributeError('cannot assign module before Module.__init__() call')
            params.pop(name, None)
            self._modules[name] = value
        elif params is not None:
            if name in params:
                if value is not None:
                    raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' (torch.nn.Parameter or None expected)")
                params[name] = None
            self._modules.pop(name, None) if value is None and name in self._modules else None
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        for d in ('_parameters', '_modules', '_buffers'):
            self.__dict__.get(d, {}).pop(name, None)
        object.__delattr__(self, name)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def register_parameter(self, name, param):
        self.__setattr__(name, param)

    def register_buffer(self, name, tensor, persistent=True):
        self._buffers[name] = tensor
        object.__setattr__(self, name, tensor)

    def add_module(self, name, module):
        self.__setattr__(str(name), module)

    register_module = add_module

    def named_children(self):
        memo = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in memo:
                memo.add(id(m))
                yield name, m

    def children(self):
        for _, m in self.named_children():
            yield m

    def named_modules(self, memo=None, prefix='', remove_duplicate=True):
        memo = set() if memo is None else memo
        if id(self) in memo and remove_duplicate:
            return
        memo.add(id(self))
        yield prefix, self
        for name, m in self._modules.items():
            if m is None:
                continue
            yield from m.named_modules(memo, prefix + ('.' if prefix else '') + name, remove_duplicate)

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def named_parameters(self, prefix='', recurse=True, remove_duplicate=True):
        memo = set()
        mods = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for mp, m in mods:
            for name, p in m._parameters.items():
                if p is None or (remove_duplicate and id(p) in memo):
                    continue
                memo.add(id(p))
                yield mp + ('.' if mp else '') + name, p

    def parameters(self, recurse=True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix='', recurse=True):
        for mp, m in self.named_modules(prefix=prefix):
            for name, b in m._buffers.items():
                yield mp + ('.' if mp else '') + name, b

    def buffers(self, recurse=True):
        for _, b in self.named_buffers():
            yield b

    def zero_grad(self, set_to_none=True):
        for p in self.parameters():
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.zero_()

    def requires_grad_(self, requires_grad=True):
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def train(self, mode=True):
        for m in self.modules():
            object.__setattr__(m, 'training', mode)
        return self

    def eval(self):
        return self.train(False)

    def to(self, *args, **kwargs):
        return self

    def cpu(self):
        return self

    def cuda(self, *a, **k):
        return self

    def float(self):
        return self

    def double(self):
        raise unsupported('Module.double')

    def apply(self, fn):
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def state_dict(self, *args, **kwargs):
        out = OrderedDict()
        for name, p in self.named_parameters():
            out[name] = p.detach()
        for name, b in self.named_buffers():
            out[name] = b.detach()
        return out

    def load_state_dict(self, state, strict=True):
        from .. import no_grad
        own = dict(self.named_parameters())
        own.update(dict(self.named_buffers()))
        with no_grad():
            for k, v in state.items():
                if k in own:
                    own[k].copy_(v)
                elif strict:
                    raise RuntimeError(f'Unexpected key(s) in state_dict: "{k}"')
        return None

    def extra_repr(self):
        return ''

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        lines = []
        extra = self.extra_repr()
        for name, m in self._modules.items():
            sub = repr(m).replace('\n', '\n  ')
            lines.append(f'({name}): {sub}')
        if not lines:
            return f'{self._get_name()}({extra})'
        body = '\n  '.join(([extra] if extra else []) + lines)
        return f'{self._get_name()}(\n  {body}\n)'

    def __dir__(self):
        return list(object.__dir__(self))


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


def _loss(name, fn):
    class Loss(Module):
        def __init__(self, *args, reduction='mean', **kwargs):
            super().__init__()
            self.reduction = reduction
            self.kwargs = kwargs

        def forward(self, input, target):
            return fn(input, target, reduction=self.reduction, **self.kwargs)
    Loss.__name__ = Loss.__qualname__ = name
    return Loss


MSELoss = _loss('MSELoss', F.mse_loss)
CrossEntropyLoss = _loss('CrossEntropyLoss', F.cross_entropy)
NLLLoss = _loss('NLLLoss', F.nll_loss)
L1Loss = _loss('L1Loss', F.l1_loss)
BCELoss = _loss('BCELoss', F.binary_cross_entropy)
BCEWithLogitsLoss = _loss('BCEWithLogitsLoss', F.binary_cross_entropy_with_logits)


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


class Sequential(Module):
    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for k, m in args[0].items():
                self.add_module(k, m)
        else:
            for i, m in enumerate(args):
                self.add_module(str(i), m)

    def __getitem__(self, i):
        mods = list(self._modules.values())
        if isinstance(i, slice):
            return Sequential(OrderedDict(list(self._modules.items())[i]))
        return mods[i]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, m):
        self.add_module(str(len(self)), m)
        return self

    def forward(self, x):
        for m in self._modules.values():
            x = m(x)
        return x


class ModuleList(Module):
    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, i):
        mods = list(self._modules.values())
        if isinstance(i, slice):
            return ModuleList(mods[i])
        return mods[i]

    def __setitem__(self, i, m):
        key = list(self._modules.keys())[i]
        self.add_module(key, m)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, m):
        self.add_module(str(len(self)), m)
        return self

    def extend(self, ms):
        for m in ms:
            self.append(m)
        return self

    def insert(self, index, m):
        mods = list(self._modules.values())
        mods.insert(index, m)
        self._modules.clear()
        for i, mm in enumerate(mods):
            self.add_module(str(i), mm)


class ModuleDict(Module):
    def __init__(self, modules=None):
        super().__init__()
        for k, m in (modules or {}).items():
            self.add_module(k, m)

    def __getitem__(self, k):
        return self._modules[k]

    def __setitem__(self, k, m):
        self.add_module(k, m)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()


class ParameterList(Module):
    def __init__(self, values=None):
        super().__init__()
        for i, p in enumerate(values or []):
            self.register_parameter(str(i), p if isinstance(p, Parameter) else Parameter(p))

    def __getitem__(self, i):
        return list(self._parameters.values())[i]

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters.values())


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

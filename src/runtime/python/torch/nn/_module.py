"""nn.Module's bookkeeping (parameters, submodules, buffers, train/eval, state_dict) and nn.Parameter."""
from collections import OrderedDict

from .._core import unsupported
from .._tensor import Tensor

__all__ = ['Parameter', 'Module']


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

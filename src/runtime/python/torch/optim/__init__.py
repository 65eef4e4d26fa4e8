"""torch.optim for Gradlens: SGD and Adam written with tensor ops under no_grad, as PyTorch's for-loop path."""
from .._core import unsupported
from .. import no_grad, zeros_like


class Optimizer:
    def __init__(self, params, defaults):
        self.defaults = defaults
        params = list(params)
        if not params:
            raise ValueError('optimizer got an empty parameter list')
        if not isinstance(params[0], dict):
            params = [{'params': params}]
        self.param_groups = []
        for g in params:
            group = dict(defaults)
            group.update(g)
            group['params'] = list(group['params'])
            self.param_groups.append(group)
        self.state = {}

    def zero_grad(self, set_to_none=True):
        for g in self.param_groups:
            for p in g['params']:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        p.grad.zero_()

    def state_dict(self):
        return {'param_groups': [{k: v for k, v in g.items() if k != 'params'} for g in self.param_groups]}

    def __repr__(self):
        return f'{type(self).__name__} ({self.defaults})'


class SGD(Optimizer):
    def __init__(self, params, lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False, **kw):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, maximize=maximize))

    def step(self, closure=None):
        if closure is not None:
            raise unsupported('optimizer.step(closure)')
        with no_grad():
            for g in self.param_groups:
                for p in g['params']:
                    if p.grad is None:
                        continue
                    d = p.grad if not g['maximize'] else -p.grad
                    if g['weight_decay']:
                        d = d.add(p, alpha=g['weight_decay'])
                    if g['momentum']:
                        st = self.state.setdefault(id(p), {})
                        buf = st.get('momentum_buffer')
                        if buf is None:
                            buf = st['momentum_buffer'] = d.clone()
                        else:
                            buf.mul_(g['momentum']).add_(d, alpha=1 - g['dampening'])
                        d = d.add(buf, alpha=g['momentum']) if g['nesterov'] else buf
                    p.add_(d, alpha=-g['lr'])


class Adam(Optimizer):
    decoupled = False

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False, **kw):
        if amsgrad:
            raise unsupported(f'{type(self).__name__}(amsgrad=True)')
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    def step(self, closure=None):
        with no_grad():
            for g in self.param_groups:
                b1, b2 = g['betas']
                for p in g['params']:
                    if p.grad is None:
                        continue
                    d = p.grad
                    if self.decoupled:
                        p.mul_(1 - g['lr'] * g['weight_decay'])
                    elif g['weight_decay']:
                        d = d.add(p, alpha=g['weight_decay'])
                    st = self.state.setdefault(id(p), {})
                    if not st:
                        st['step'] = 0
                        st['exp_avg'] = zeros_like(p)
                        st['exp_avg_sq'] = zeros_like(p)
                    st['step'] += 1
                    m, v, t = st['exp_avg'], st['exp_avg_sq'], st['step']
                    m.mul_(b1).add_(d, alpha=1 - b1)
                    v.mul_(b2).add_(d * d, alpha=1 - b2)
                    bc1 = 1 - b1 ** t
                    bc2 = 1 - b2 ** t
                    denom = (v.sqrt() / (bc2 ** 0.5)).add_(g['eps'])
                    p.add_(m / denom, alpha=-g['lr'] / bc1)


class AdamW(Adam):
    """Adam with decoupled weight decay (torch 1.13: p *= 1 - lr * weight_decay before the update)."""
    decoupled = True

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01, amsgrad=False, **kw):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)

    class Missing(Optimizer):
        def __init__(self, *args, **kwargs):
            raise unsupported(f'torch.optim.{name}')
    Missing.__name__ = name
    return Missing

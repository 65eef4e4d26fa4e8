"""torch.nn.functional for Gradlens: losses and activations as single engine ops where PyTorch has one."""
from .._core import unsupported
from .._tensor import Tensor, op, _p


def _softmax_dim(ndim):
    return 0 if ndim in (0, 1, 3) else 1


def relu(input, inplace=False):
    return op('relu', input)


def relu_(input):
    return input.relu_()


def sigmoid(input):
    return op('sigmoid', input)


def tanh(input):
    return op('tanh', input)


def gelu(input, approximate='none'):
    if approximate != 'none':
        raise unsupported(f"F.gelu(approximate='{approximate}')")
    return op('gelu', input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if negative_slope == 0.01:
        return op('leaky_relu', input)
    from .. import where
    return where(input > 0, input, input * negative_slope)


def softplus(input, beta=1, threshold=20):
    if beta != 1 or threshold != 20:
        raise unsupported('F.softplus with beta/threshold')
    return op('softplus', input)


def silu(input, inplace=False):
    return input * op('sigmoid', input)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    dim = _softmax_dim(input.ndim) if dim is None else dim
    return op('softmax', input, None, _p(dim=int(dim)))


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    dim = _softmax_dim(input.ndim) if dim is None else dim
    return op('log_softmax', input, None, _p(dim=int(dim)))


def linear(input, weight, bias=None):
    out = input @ weight.t()
    return out if bias is None else out + bias


def _reduction(size_average, reduce, reduction):
    if size_average is not None or reduce is not None:
        raise unsupported('size_average/reduce arguments (use reduction=)')
    if reduction not in ('mean', 'sum', 'none'):
        raise ValueError(f'{reduction} is not a valid value for reduction')
    return reduction


def mse_loss(input, target, size_average=None, reduce=None, reduction='mean'):
    return op('mse_loss', input, target, _p(reduction=_reduction(size_average, reduce, reduction)))


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction='mean', label_smoothing=0.0):
    if weight is not None:
        raise unsupported('F.cross_entropy(weight=...)')
    if label_smoothing:
        raise unsupported('F.cross_entropy(label_smoothing=...)')
    if isinstance(target, Tensor) and target.dtype.is_floating_point:
        raise unsupported('F.cross_entropy with class probabilities as target')
    return op('cross_entropy', input, target, _p(reduction=_reduction(size_average, reduce, reduction)))


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'):
    if weight is not None:
        raise unsupported('F.nll_loss(weight=...)')
    return op('nll_loss', input, target, _p(reduction=_reduction(size_average, reduce, reduction)))


def _reduce(x, reduction):
    if reduction == 'mean':
        return x.mean()
    if reduction == 'sum':
        return x.sum()
    return x


def l1_loss(input, target, size_average=None, reduce=None, reduction='mean'):
    return _reduce((input - target).abs(), _reduction(size_average, reduce, reduction))


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction='mean'):
    if weight is not None:
        raise unsupported('F.binary_cross_entropy(weight=...)')
    loss = -(target * input.log().clamp_min(-100) + (1 - target) * (1 - input).log().clamp_min(-100))
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction='mean', pos_weight=None):
    if weight is not None or pos_weight is not None:
        raise unsupported('F.binary_cross_entropy_with_logits(weight/pos_weight=...)')
    loss = (1 - target) * input + op('softplus', -input)
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def dropout(input, p=0.5, training=True, inplace=False):
    if not training or p == 0:
        return input
    from .._core import B, loc
    from .._tensor import wrap, _call
    mask = wrap(_call(B.dropoutMask, input._r, float(p), loc()))
    return input * mask


def one_hot(tensor, num_classes=-1):
    from .. import arange
    n = int(tensor.max().item()) + 1 if num_classes < 0 else num_classes
    return (tensor.unsqueeze(-1) == arange(n)).long()


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False):
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise unsupported('F.embedding(max_norm/scale_grad_by_freq/sparse=...)')
    return weight[input]


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    dims = tuple(range(-len(tuple(normalized_shape)), 0))
    mean = input.mean(dims, keepdim=True)
    var = input.var(dims, keepdim=True, unbiased=False)
    out = (input - mean) / (var + eps).sqrt()
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def pad(*args, **kwargs):
    raise unsupported('torch.nn.functional.pad')


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)

    def missing(*args, **kwargs):
        raise unsupported(f'torch.nn.functional.{name}')
    missing.__name__ = name
    return missing

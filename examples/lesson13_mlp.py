# fast.ai part 2, lesson 13 ("03_backprop"): an MLP's forward and backward pass by hand.
# Runs unchanged in real PyTorch. In Gradlens, each `.g` you assign shows beside the engine's gradient.
import gzip
import pickle
from pathlib import Path

import torch
from torch import tensor

torch.manual_seed(42)

path_gz = Path('data') / 'mnist_tiny.pkl.gz'
with gzip.open(path_gz, 'rb') as f:
    ((x_train, y_train), (x_valid, y_valid), _) = pickle.load(f, encoding='latin-1')
x_train, y_train, x_valid, y_valid = map(tensor, [x_train, y_train, x_valid, y_valid])

n, m = x_train.shape
c = y_train.max() + 1
nh = 50

w1 = torch.randn(m, nh)
b1 = torch.zeros(nh)
w2 = torch.randn(nh, 1)
b2 = torch.zeros(1)


def lin(x, w, b): return x @ w + b


def relu(x): return x.clamp_min(0.)


def model(xb):
    l1 = lin(xb, w1, b1)
    l2 = relu(l1)
    return lin(l2, w2, b2)


def mse(output, targ): return ((output.squeeze(-1) - targ) ** 2).mean()


y_train, y_valid = y_train.float(), y_valid.float()


def lin_grad(inp, out, w, b):
    # grad of matmul with respect to input
    inp.g = out.g @ w.t()
    w.g = (inp.unsqueeze(-1) * out.g.unsqueeze(1)).sum(0)
    b.g = out.g.sum(0)


def forward_and_backward(inp, targ):
    # forward pass:
    l1 = lin(inp, w1, b1)
    l2 = relu(l1)
    out = lin(l2, w2, b2)
    diff = out[:, 0] - targ
    loss = diff.pow(2).mean()

    # backward pass:
    out.g = 2. * diff[:, None] / inp.shape[0]
    lin_grad(l2, out, w2, b2)
    l1.g = (l1 > 0).float() * l2.g
    lin_grad(inp, l1, w1, b1)
    return loss


loss = forward_and_backward(x_train, y_train)
print(f'loss {loss.item():.4f}')

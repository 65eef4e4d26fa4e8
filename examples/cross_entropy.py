# fast.ai part 2, lesson 14 style: an nn.Module classifier, log-softmax and negative log likelihood
# written out by hand, checked against F.cross_entropy, then loss.backward().
import gzip
import pickle
from pathlib import Path

import torch
from torch import nn, tensor
import torch.nn.functional as F

torch.manual_seed(42)

with gzip.open(Path('data') / 'mnist_tiny.pkl.gz', 'rb') as f:
    ((x_train, y_train), (x_valid, y_valid), _) = pickle.load(f, encoding='latin-1')
x_train, y_train = map(tensor, (x_train, y_train))
n, m = x_train.shape
c = int(y_train.max()) + 1
nh = 50


class Model(nn.Module):
    def __init__(self, n_in, nh, n_out):
        super().__init__()
        self.layers = [nn.Linear(n_in, nh), nn.ReLU(), nn.Linear(nh, n_out)]

    def __call__(self, x):
        for l in self.layers:
            x = l(x)
        return x


def log_softmax(x): return x - x.logsumexp(-1, keepdim=True)


def nll(input, target): return -input[range(target.shape[0]), target].mean()


model = Model(m, nh, c)
pred = model(x_train)
sm_pred = log_softmax(pred)
loss = nll(sm_pred, y_train)
assert torch.allclose(loss, F.cross_entropy(pred, y_train), atol=1e-5)

acc = (pred.argmax(dim=1) == y_train).float().mean()
loss.backward()
print(f'loss {loss.item():.4f} accuracy {acc.item():.3f}')

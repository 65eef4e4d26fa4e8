# fast.ai part 2, lesson 13: the same MLP refactored into layer classes, each with its own backward.
# `self.inp.g = ...` inside `Lin.backward` shows as the hand-written gradient of that tensor.
import gzip
import pickle
from pathlib import Path

import torch
from torch import tensor

torch.manual_seed(1)

with gzip.open(Path('data') / 'mnist_tiny.pkl.gz', 'rb') as f:
    ((x_train, y_train), (x_valid, y_valid), _) = pickle.load(f, encoding='latin-1')
x_train, y_train = map(tensor, (x_train, y_train))
y_train = y_train.float()

n, m = x_train.shape
nh = 50
w1 = torch.randn(m, nh) / m ** 0.5
b1 = torch.zeros(nh)
w2 = torch.randn(nh, 1) / nh ** 0.5
b2 = torch.zeros(1)


def lin(x, w, b): return x @ w + b


def mse(output, targ): return (output.squeeze(-1) - targ).pow(2).mean()


class Relu():
    def __call__(self, inp):
        self.inp = inp
        self.out = inp.clamp_min(0.)
        return self.out

    def backward(self): self.inp.g = (self.inp > 0).float() * self.out.g


class Lin():
    def __init__(self, w, b): self.w, self.b = w, b

    def __call__(self, inp):
        self.inp = inp
        self.out = lin(inp, self.w, self.b)
        return self.out

    def backward(self):
        self.inp.g = self.out.g @ self.w.t()
        self.w.g = self.inp.t() @ self.out.g
        self.b.g = self.out.g.sum(0)


class Mse():
    def __call__(self, inp, targ):
        self.inp, self.targ = inp, targ
        self.out = mse(inp, targ)
        return self.out

    def backward(self):
        self.inp.g = 2. * (self.inp.squeeze() - self.targ).unsqueeze(-1) / self.targ.shape[0]


class Model():
    def __init__(self, w1, b1, w2, b2):
        self.layers = [Lin(w1, b1), Relu(), Lin(w2, b2)]
        self.loss = Mse()

    def __call__(self, x, targ):
        for l in self.layers:
            x = l(x)
        return self.loss(x, targ)

    def backward(self):
        self.loss.backward()
        for l in reversed(self.layers):
            l.backward()


model = Model(w1, b1, w2, b2)
loss = model(x_train, y_train)
model.backward()
print(f'loss {loss.item():.4f}')

# A short training loop: nn.Sequential, F.cross_entropy, optim.SGD over minibatches.
# Gradlens keeps the graph of the last step in full and the loss of every step (the loss curve).
import gzip
import pickle
from pathlib import Path

import torch
from torch import nn, optim, tensor
import torch.nn.functional as F

torch.manual_seed(42)

with gzip.open(Path('data') / 'mnist_tiny.pkl.gz', 'rb') as f:
    ((x_train, y_train), (x_valid, y_valid), _) = pickle.load(f, encoding='latin-1')
x_train, y_train, x_valid, y_valid = map(tensor, (x_train, y_train, x_valid, y_valid))
n, m = x_train.shape

model = nn.Sequential(nn.Linear(m, 50), nn.ReLU(), nn.Linear(50, 10))
opt = optim.SGD(model.parameters(), lr=0.5)
bs = 64
epochs = 2


def accuracy(out, yb): return (out.argmax(dim=1) == yb).float().mean()


for epoch in range(epochs):
    for i in range(0, n, bs):
        xb, yb = x_train[i:i + bs], y_train[i:i + bs]
        preds = model(xb)
        loss = F.cross_entropy(preds, yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
    with torch.no_grad():
        print(epoch, f'{loss.item():.4f}', f'{accuracy(model(x_valid), y_valid).item():.3f}')

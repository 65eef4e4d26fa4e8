# fast.ai lesson 14 style training loop: nn.Sequential, F.cross_entropy, optim.SGD, 400 steps of
# batch 50 over 20000 random MNIST-shaped inputs. Runs unchanged in PyTorch and in Gradlens.
import torch
from torch import nn
import torch.nn.functional as F

torch.manual_seed(0)
n, bs, lr, steps = 20000, 50, 0.5, 400
x_train = torch.randn(n, 784)
y_train = torch.randint(0, 10, (n,))
model = nn.Sequential(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10))
opt = torch.optim.SGD(model.parameters(), lr=lr)

def accuracy(out, yb): return (out.argmax(dim=1) == yb).float().mean()

for step in range(steps):
    i = (step * bs) % n
    xb, yb = x_train[i:i + bs], y_train[i:i + bs]
    preds = model(xb)
    loss = F.cross_entropy(preds, yb)
    loss.backward()
    opt.step()
    opt.zero_grad()
print(f'loss {loss.item():.6f} accuracy {accuracy(preds, yb).item():.4f}')

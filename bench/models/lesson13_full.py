# fast.ai lesson 13 at MNIST scale: a 784→50→1 MLP on 50000 random inputs, the hand-written
# backward pass, then loss.backward() to check it. Runs unchanged in PyTorch and in Gradlens.
import torch

torch.manual_seed(42)
x_train = torch.randn(50000, 784)
y_train = torch.randn(50000)
nh = 50
w1 = torch.randn(784, nh) / 784 ** 0.5
b1 = torch.zeros(nh)
w2 = torch.randn(nh, 1) / nh ** 0.5
b2 = torch.zeros(1)

def lin(x, w, b): return x @ w + b
def relu(x): return x.clamp_min(0.)

def lin_grad(inp, out, w, b):
    inp.g = out.g @ w.t()
    w.g = inp.t() @ out.g
    b.g = out.g.sum(0)

def forward_and_backward(inp, targ):
    l1 = lin(inp, w1, b1)
    l2 = relu(l1)
    out = lin(l2, w2, b2)
    diff = out[:, 0] - targ
    loss = diff.pow(2).mean()
    out.g = 2. * diff[:, None] / inp.shape[0]
    lin_grad(l2, out, w2, b2)
    l1.g = (l1 > 0).float() * l2.g
    lin_grad(inp, l1, w1, b1)
    return loss

forward_and_backward(x_train, y_train)
chks = w1, w2, b1, b2, x_train
grads = [p.g.clone() for p in chks]
for p in chks: p.requires_grad_()
l1 = lin(x_train, w1, b1)
out = lin(relu(l1), w2, b2)
loss = (out[:, 0] - y_train).pow(2).mean()
loss.backward()
for g, p in zip(grads, chks):
    assert torch.allclose(g, p.grad, rtol=1e-3, atol=1e-5)
print(f'loss {loss.item():.6f}')

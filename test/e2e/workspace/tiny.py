# A two-layer MLP in the style of fast.ai lesson 13, small enough to check by eye.
import torch

torch.manual_seed(42)
x = torch.randn(8, 4)
y = torch.randn(8)
w1 = (torch.randn(4, 5) / 2).requires_grad_()
b1 = torch.zeros(5).requires_grad_()
w2 = (torch.randn(5, 1) / 2).requires_grad_()
b2 = torch.zeros(1).requires_grad_()


def lin(x, w, b):
    return x @ w + b


l1 = lin(x, w1, b1)
l2 = l1.clamp_min(0.)
out = lin(l2, w2, b2)
print("out shape", tuple(out.shape))
loss = ((out[:, 0] - y) ** 2).mean()
loss.backward()

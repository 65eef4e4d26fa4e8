# Single-head causal self-attention on a short random sequence, trained against a random target.
import math

import torch
import torch.nn.functional as F

torch.manual_seed(0)

T, d = 6, 8
x = torch.randn(T, d)
Wq = (torch.randn(d, d) / math.sqrt(d)).requires_grad_()
Wk = (torch.randn(d, d) / math.sqrt(d)).requires_grad_()
Wv = (torch.randn(d, d) / math.sqrt(d)).requires_grad_()
target = torch.randn(T, d)


def attention(x):
    q = x @ Wq
    k = x @ Wk
    v = x @ Wv
    scores = q @ k.transpose(0, 1) / math.sqrt(d)
    causal = torch.arange(T)[None, :] > torch.arange(T)[:, None]
    scores = scores.masked_fill(causal, float('-inf'))
    att = F.softmax(scores, dim=-1)
    return att @ v, att


out, att = attention(x)
loss = F.mse_loss(out, target)
loss.backward()
print(f'loss {loss.item():.4f}')

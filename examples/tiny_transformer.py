# A tiny character-level transformer block (nanoGPT style): token + position embeddings, LayerNorm,
# one causal self-attention head with a `tril` mask, a language-model head, trained a few steps with AdamW.
import torch
import torch.nn as nn
from torch.nn import functional as F

torch.manual_seed(1337)
B, T, C, V = 2, 5, 8, 11


class Head(nn.Module):
    def __init__(self, head_size):
        super().__init__()
        self.key = nn.Linear(C, head_size, bias=False)
        self.query = nn.Linear(C, head_size, bias=False)
        self.value = nn.Linear(C, head_size, bias=False)
        self.register_buffer('tril', torch.tril(torch.ones(T, T)))

    def forward(self, x):
        B, T, C = x.shape
        k = self.key(x)
        q = self.query(x)
        wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float('-inf'))
        wei = F.softmax(wei, dim=-1)
        return wei @ self.value(x)


class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(V, C)
        self.pos = nn.Embedding(T, C)
        self.ln = nn.LayerNorm(C)
        self.head = Head(C)
        self.lm = nn.Linear(C, V)

    def forward(self, idx, targets):
        x = self.tok(idx) + self.pos(torch.arange(T))
        x = x + self.head(self.ln(x))
        logits = self.lm(x)
        return F.cross_entropy(logits.view(B * T, V), targets.view(B * T))


model = TinyLM()
idx = torch.randint(0, V, (B, T))
targets = torch.randint(0, V, (B, T))
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
for step in range(5):
    loss = model(idx, targets)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    print(step, f'{loss.item():.4f}')

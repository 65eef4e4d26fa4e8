import torch

a = torch.randn(3, 4)
b = torch.randn(5, 6)
c = a @ b  # shapes do not match: the diagnostic belongs on this line (5)
loss = c.sum()

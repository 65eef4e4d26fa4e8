import torch

x = torch.ones(2)
n = 0
while True:
    n += 1

# The lesson 13 step in real PyTorch at a given thread count: forward, manual .g backward,
# loss.backward(). Prints the median milliseconds as JSON. Usage: python3 lesson13-step.py THREADS REPS
import json, statistics, sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
reps = int(sys.argv[2])
torch.manual_seed(0)
x, y = torch.randn(50000, 784), torch.randn(50000)
w1, b1, w2, b2 = torch.randn(784, 50) / 28, torch.zeros(50), torch.randn(50, 1) / 7, torch.zeros(1)

def step():
    for p in (w1, b1, w2, b2): p.requires_grad_(False); p.grad = None
    l1 = x @ w1 + b1; l2 = l1.clamp_min(0.); out = l2 @ w2 + b2
    diff = out[:, 0] - y; loss = diff.pow(2).mean()
    og = 2. * diff[:, None] / x.shape[0]
    l2g = og @ w2.t(); w2g = l2.t() @ og; b2g = og.sum(0)
    l1g = (l1 > 0).float() * l2g
    xg = l1g @ w1.t(); w1g = x.t() @ l1g; b1g = l1g.sum(0)
    for p in (w1, b1, w2, b2): p.requires_grad_()
    l1 = x @ w1 + b1; out = l1.clamp_min(0.) @ w2 + b2
    loss = (out[:, 0] - y).pow(2).mean(); loss.backward()

step()
times = []
for _ in range(reps):
    t = time.perf_counter(); step(); times.append((time.perf_counter() - t) * 1000)
print(json.dumps({'ms': statistics.median(times)}))

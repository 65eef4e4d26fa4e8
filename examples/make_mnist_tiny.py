"""Make examples/data/mnist_tiny.pkl.gz: an MNIST-shaped data set small enough to commit.

Same layout as the course's mnist.pkl.gz: ((x_train, y_train), (x_valid, y_valid), (x_test, y_test)),
x float32 of shape (n, 784) in [0, 1], y int64 class labels. Each class is a stroke pattern on a
28x28 grid plus noise, so a small MLP can learn it. Run with a Python that has numpy:
    /usr/bin/python3 examples/make_mnist_tiny.py
"""
import gzip
import pickle
from pathlib import Path

import numpy as np

rng = np.random.default_rng(13)


def digit(c):
    img = np.zeros((28, 28), np.float32)
    r0, c0 = 4 + (c % 3) * 3, 4 + (c // 3) * 3
    # A class-specific bar plus a ring: different classes light up different pixels.
    img[r0:r0 + 12, c0 + c % 5: c0 + c % 5 + 3] = 1.0
    yy, xx = np.mgrid[:28, :28]
    ring = np.abs(np.hypot(yy - 14 - (c - 5) * 0.6, xx - 14) - (4 + c * 0.7)) < 1.2
    img[ring] = np.maximum(img[ring], 0.8)
    shift = rng.integers(-2, 3, size=2)
    img = np.roll(img, tuple(shift), axis=(0, 1))
    noise = (rng.random((28, 28)) < 0.04) * rng.random((28, 28))
    img = np.clip(img * rng.uniform(0.7, 1.0) + noise, 0, 1)
    return (np.round(img * 255) / 255).astype(np.float32).reshape(-1)


def split(n):
    y = rng.integers(0, 10, size=n).astype(np.int64)
    x = np.stack([digit(int(c)) for c in y]).astype(np.float32)
    return x, y


data = (split(256), split(64), split(64))
out = Path(__file__).parent / 'data' / 'mnist_tiny.pkl.gz'
out.parent.mkdir(exist_ok=True)
with gzip.GzipFile(out, 'wb', mtime=0) as f:
    pickle.dump(data, f, protocol=2)
np.save(Path(__file__).parent / 'data' / 'x_valid16.npy', data[1][0][:16])
print(f'wrote {out} ({out.stat().st_size} bytes)')

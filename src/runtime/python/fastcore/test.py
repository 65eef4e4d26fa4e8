"""fastcore.test's checks, as the course uses them."""


def _close(a, b, eps):
    if hasattr(a, 'shape') or hasattr(b, 'shape'):
        import torch
        a = a if isinstance(a, torch.Tensor) else torch.tensor(a)
        return bool(((a - b).abs() < eps).all())
    if isinstance(a, (list, tuple)):
        return all(_close(x, y, eps) for x, y in zip(a, b))
    return abs(a - b) < eps


def test_close(a, b, eps=1e-5):
    assert _close(a, b, eps), f'close:\n{a}\n{b}'


def test_eq(a, b):
    if hasattr(a, 'shape'):
        assert a.shape == b.shape and bool((a == b).all()), f'==:\n{a}\n{b}'
    else:
        assert a == b, f'==:\n{a}\n{b}'


def test(a, b, cmp, cname=None):
    assert cmp(a, b), f'{cname or cmp.__name__}:\n{a}\n{b}'

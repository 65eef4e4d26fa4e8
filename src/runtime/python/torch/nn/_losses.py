"""The loss modules: each calls its torch.nn.functional loss with the module's reduction."""
from . import functional as F
from ._module import Module

__all__ = ['MSELoss', 'CrossEntropyLoss', 'NLLLoss', 'L1Loss', 'BCELoss', 'BCEWithLogitsLoss']


def _loss(name, fn):
    class Loss(Module):
        def __init__(self, *args, reduction='mean', **kwargs):
            super().__init__()
            self.reduction = reduction
            self.kwargs = kwargs

        def forward(self, input, target):
            return fn(input, target, reduction=self.reduction, **self.kwargs)
    Loss.__name__ = Loss.__qualname__ = name
    return Loss


MSELoss = _loss('MSELoss', F.mse_loss)
CrossEntropyLoss = _loss('CrossEntropyLoss', F.cross_entropy)
NLLLoss = _loss('NLLLoss', F.nll_loss)
L1Loss = _loss('L1Loss', F.l1_loss)
BCELoss = _loss('BCELoss', F.binary_cross_entropy)
BCEWithLogitsLoss = _loss('BCEWithLogitsLoss', F.binary_cross_entropy_with_logits)

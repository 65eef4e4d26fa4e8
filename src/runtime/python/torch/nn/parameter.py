"""torch.nn.parameter: Parameter lives in torch.nn."""
from torch.nn import Parameter  # noqa: F401

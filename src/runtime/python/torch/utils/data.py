"""torch.utils.data: Dataset, TensorDataset, samplers and DataLoader (single process).

Random draws follow torch 1.13: each DataLoader iterator takes one int64 draw from the default
generator (its worker base seed) and RandomSampler seeds a private generator with another, so a
script's later random numbers stay in step with PyTorch.
"""
from .. import stack, tensor, Tensor
from .._core import B, loc
from .._tensor import wrap, _call


class Dataset:
    def __getitem__(self, i):
        raise NotImplementedError

    def __add__(self, other):
        raise NotImplementedError('ConcatDataset is not supported by Gradlens yet')


class TensorDataset(Dataset):
    def __init__(self, *tensors):
        self.tensors = tensors

    def __getitem__(self, i):
        return tuple(t[i] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0]


class Sampler:
    def __init__(self, data_source=None):
        pass


class SequentialSampler(Sampler):
    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """Draws randperm from the default generator (PyTorch seeds a private generator: orders differ)."""

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source

    def __iter__(self):
        n = len(self.data_source)
        return iter(wrap(_call(B.samplerPerm, n, loc())).tolist())

    def __len__(self):
        return len(self.data_source)


class BatchSampler(Sampler):
    def __init__(self, sampler, batch_size, drop_last):
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self):
        batch = []
        for i in self.sampler:
            batch.append(i)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


def default_collate(batch):
    first = batch[0]
    if isinstance(first, Tensor):
        return stack(batch)
    if isinstance(first, (int, float, bool)):
        return tensor(batch)
    if isinstance(first, (tuple, list)):
        return type(first)(default_collate(list(x)) for x in zip(*batch)) if isinstance(first, tuple) else [default_collate(list(x)) for x in zip(*batch)]
    if isinstance(first, dict):
        return {k: default_collate([b[k] for b in batch]) for k in first}
    return batch


class DataLoader:
    def __init__(self, dataset, batch_size=1, shuffle=False, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, **kwargs):
        self.dataset = dataset
        self.batch_size = batch_size
        self.collate_fn = collate_fn or default_collate
        if batch_sampler is None:
            if sampler is None:
                sampler = RandomSampler(dataset) if shuffle else SequentialSampler(dataset)
            batch_sampler = BatchSampler(sampler, batch_size, drop_last) if batch_size is not None else None
        self.sampler = sampler
        self.batch_sampler = batch_sampler

    def __iter__(self):
        B.seedDraw()  # torch's _BaseDataLoaderIter draws its base seed here
        if self.batch_sampler is None:
            for i in self.sampler:
                yield self.collate_fn(self.dataset[i]) if self.collate_fn is not default_collate else self.dataset[i]
            return
        for idx in self.batch_sampler:
            yield self.collate_fn([self.dataset[i] for i in idx])

    def __len__(self):
        return len(self.batch_sampler)

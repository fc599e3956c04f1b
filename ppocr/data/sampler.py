"""Batch samplers: training (seeded shuffle, every rank the same number of batches) and
evaluation (each rank a contiguous shard, nothing padded, so every sample is scored once)."""
import numpy as np
from paddle.io import DistributedBatchSampler


class TrainBatchSampler(DistributedBatchSampler):
    """paddle's DistributedBatchSampler with an order that depends only on ``seed`` and the epoch.

    Call ``set_epoch(epoch)`` before each pass (the order does not advance by itself, so a resumed
    run sees the same order as an uninterrupted one); ``set_start(n)`` skips the first ``n``
    batches of the next pass, for resuming mid-epoch. Like paddle's sampler, the index list is
    padded by repeating its start so that every rank gets the same number of samples.
    """

    def __init__(self, dataset, batch_size, shuffle=True, drop_last=False, seed=0, num_replicas=None, rank=None):
        super().__init__(dataset=dataset, batch_size=batch_size, num_replicas=num_replicas, rank=rank,
                         shuffle=shuffle, drop_last=drop_last)
        self.seed = int(seed)
        self.start = 0

    def set_epoch(self, epoch):
        self.epoch = int(epoch)
        if hasattr(self.dataset, "set_epoch"):
            self.dataset.set_epoch(self.epoch)  # the per-sample augmentation seeds follow the epoch

    def set_start(self, start):
        self.start = max(0, int(start))

    def local_indices(self):
        """This rank's sample indices for the current epoch."""
        n = len(self.dataset)
        order = np.random.default_rng([self.seed, self.epoch]).permutation(n) if self.shuffle else np.arange(n)
        if self.total_size > n:
            order = np.resize(order, self.total_size)  # np.resize repeats from the start
        return order[self.local_rank : self.total_size : self.nranks]

    def __iter__(self):
        start, self.start = self.start, 0
        indices = self.local_indices().tolist()
        for b, i in enumerate(range(0, len(indices), self.batch_size)):
            batch = indices[i : i + self.batch_size]
            if len(batch) < self.batch_size and self.drop_last:
                return
            if b >= start:
                yield batch


class EvalBatchSampler:
    """The set cut into batches of ``batch_size`` (the last one partial), and rank ``rank`` of
    ``world_size`` gets batches ``rank, rank + world_size, ...``: no index padded, dropped or
    repeated, the union over ranks is every index exactly once, and every sample is read in the
    same batch, beside the same others, whatever the number of processes (a CPU kernel's sums
    can depend on the batch's size, and a near tie would then read differently).

    Example::

        list(EvalBatchSampler(5, batch_size=2, rank=0, world_size=2))   # [[0, 1], [4]]
    """

    shuffle = False
    drop_last = False

    def __init__(self, num_samples, batch_size, rank=0, world_size=1):
        if not 0 <= rank < world_size:
            raise ValueError(f"rank {rank} is not in 0..{world_size - 1}")
        if batch_size <= 0:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        self.num_samples = int(num_samples)
        self.batch_size = int(batch_size)
        self.rank, self.world_size = int(rank), int(world_size)

    def set_epoch(self, epoch):
        """Evaluation order never changes; present so callers can treat both samplers alike."""

    def __iter__(self):
        step = self.batch_size * self.world_size
        for i in range(self.rank * self.batch_size, self.num_samples, step):
            yield list(range(i, min(i + self.batch_size, self.num_samples)))

    def __len__(self):
        batches = -(-self.num_samples // self.batch_size)
        return max(0, -(-(batches - self.rank) // self.world_size))

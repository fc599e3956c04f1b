"""The datasets and the DataLoader of a config's Train or Eval section: the part of ``ppocr.data``
that needs Paddle (``paddle.io``), imported on the first use of one of its names through
``ppocr.data``. Importing this module registers the datasets (``LMDBDataSet``, ``SimpleDataSet``).

Example::

    from ppocr.config import load_config
    from ppocr.data import build_dataloader
    from ppocr.trained_model.from_config import build_charset

    config = load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml")
    loader = build_dataloader(config, "Train", build_charset(config), seed=0)
    loader.batch_sampler.set_epoch(1)
    for batch in loader:   # {'image', 'label', 'length', 'text', 'valid', 'skipped'}
        ...
"""
import collections
import copy
import logging
import multiprocessing
import signal

import numpy as np
import paddle
import paddle.distributed as dist

from ppocr.data import lmdb_dataset, simple_dataset  # noqa: F401  (register the datasets)
from ppocr.data.sampler import EvalBatchSampler, TrainBatchSampler
from ppocr.errors import UserError
from ppocr.registry import DATASETS, UnknownName

logger = logging.getLogger("ppocr")
META_KEYS = ("text", "valid", "skip", "label_issue", "example")


def collate(samples):
    """Samples -> one batch dict: arrays stacked, ``text`` a list of str, ``valid`` a bool array,
    ``skipped`` {reason: count} of the unusable samples (dropped ones in training, stand-ins
    with ``valid=False`` in evaluation), and in training ``skip_examples`` {reason: the first
    dropped sample's label or detail} (present only when a sample was dropped).

    In evaluation, ``label_issues`` {reason: count} (present only when non-empty) counts the
    samples whose label the charset could not encode; they are scored against their text.

    A batch whose samples were all dropped has ``text`` and ``valid`` as empty lists, ``skipped``,
    and ``dropped`` = [number of samples]: paddle's loader fails on a batch without any array
    or with an empty one, so this one-element array carries it. Check ``len(batch['text'])``.
    """
    skipped = collections.Counter()
    kept, examples = [], {}
    for sample in samples:
        if "valid" not in sample:  # a training sample dropped by the dataset
            skipped[sample["skip"]] += 1
            examples.setdefault(sample["skip"], sample.get("example", ""))
            continue
        if not sample["valid"]:
            skipped[sample["skip"]] += 1
        kept.append(sample)
    batch = {}
    if kept:
        for key in kept[0]:
            if key not in META_KEYS:
                batch[key] = np.stack([np.asarray(s[key]) for s in kept])
    batch["text"] = [s["text"] for s in kept]
    batch["valid"] = np.array([bool(s["valid"]) for s in kept], dtype=bool) if kept else []
    batch["skipped"] = dict(skipped)
    if examples:
        batch["skip_examples"] = examples
    label_issues = collections.Counter(s["label_issue"] for s in kept if s.get("label_issue"))
    if label_issues:
        batch["label_issues"] = dict(label_issues)
    if not kept:
        batch["dropped"] = np.array([len(samples)], dtype=np.int64)
    return batch


def build_dataset(config, mode, charset, seed=0):
    """The dataset named by ``config[mode]['dataset']['name']``, through the DATASETS registry."""
    section = config.get(mode)
    if not isinstance(section, dict) or not isinstance(section.get("dataset"), dict):
        raise UserError(f"the config has no {mode}.dataset section (with name, data_dir, transforms)")
    name = section["dataset"].get("name")
    try:
        cls = DATASETS.get(name)
    except UnknownName as e:
        raise UserError(f"{mode}.dataset.name: {e}") from None
    return cls(config, mode, charset, seed=seed)


def _worker_ignores_stop_signals(worker_id):
    """A loader worker leaves stopping to the trainer: Ctrl-C in a terminal and a scheduler's stop
    (Slurm, ``kill -- -PGID``) signal the whole process group, and a worker killed under the trainer
    makes Paddle raise in the middle of a step, before the trainer can save ``latest``. The worker
    still ends when the trainer shuts the loader down, or when the trainer dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def end_loader_workers(timeout=10):
    """Ends this process's loader workers. Training calls it when it leaves an epoch early (a stop
    signal, an error): the workers ignore SIGTERM, which is also how Python's exit would end them."""
    workers = [p for p in multiprocessing.active_children() if p.daemon]
    previous = signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # Paddle's handler raises when a worker dies
    try:
        for p in workers:
            p.kill()
        for p in workers:
            p.join(timeout)
    finally:
        signal.signal(signal.SIGCHLD, previous)


def build_dataloader(config, mode, charset, seed=0):
    """A paddle.io.DataLoader over ``config[mode]`` whose batches come from ``collate``.

    Train: ``loader.batch_sampler`` is a TrainBatchSampler (a paddle DistributedBatchSampler)
    with ``shuffle``/``drop_last`` from the loader section and ``set_epoch(epoch)``. Any other
    mode: an EvalBatchSampler giving this rank every world_size-th batch, nothing padded or dropped.
    """
    dataset = build_dataset(config, mode, charset, seed=seed)
    loader_cfg = config[mode].get("loader") or {}
    try:
        batch_size = int(loader_cfg["batch_size_per_card"])
    except (KeyError, TypeError, ValueError):
        raise UserError(f"{mode}.loader.batch_size_per_card must be a positive integer, "
                        f"got {loader_cfg.get('batch_size_per_card')!r}") from None
    if batch_size <= 0:
        raise UserError(f"{mode}.loader.batch_size_per_card must be positive, got {batch_size}")
    if len(dataset) == 0:
        raise UserError(f"the {mode} dataset has no samples: check {mode}.dataset")
    rank, world = dist.get_rank(), dist.get_world_size()
    if mode == "Train":
        sampler = TrainBatchSampler(dataset, batch_size, shuffle=bool(loader_cfg.get("shuffle", True)),
                                    drop_last=bool(loader_cfg.get("drop_last", True)), seed=seed,
                                    num_replicas=world, rank=rank)
        if len(sampler) == 0:
            raise UserError(f"Train: {len(dataset)} samples over {world} process(es) make no full batch of "
                            f"{batch_size}: lower Train.loader.batch_size_per_card or set drop_last: False")
    else:
        sampler = EvalBatchSampler(len(dataset), batch_size, rank=rank, world_size=world)
    num_workers = int(loader_cfg.get("num_workers", 0))
    return paddle.io.DataLoader(
        dataset,
        batch_sampler=sampler,
        num_workers=num_workers,
        # shared memory only matters between worker processes; some containers have a tiny /dev/shm
        use_shared_memory=bool(loader_cfg.get("use_shared_memory", True)) and num_workers > 0,
        collate_fn=collate,
        worker_init_fn=_worker_ignores_stop_signals if num_workers > 0 else None,
        return_list=True,
        # the in-process loader's prefetch thread can hold paddle's allocator lock while another
        # loader forks its workers, which then deadlock on it; without workers it buys nothing
        use_buffer_reader=num_workers > 0,
    )


def list_eval_sets(config, mode="Eval"):
    """The evaluation sets of ``config[mode]``: [(name, dataset section of that set alone)].

    The dataset class decides what a set is (``list_sets``): for LMDBDataSet each entry of a
    ``data_dir`` list, or each sub-folder holding LMDBs of a ``data_dir`` that is not itself an
    LMDB, named by its folder; for SimpleDataSet each label file. Training keeps pooling them.

    Example::

        list_eval_sets(config)   # [('CUTE80', {..., 'data_dir': '.../evaluation/CUTE80'}), ('IC13_857', ...)]
    """
    section = config.get(mode)
    if not isinstance(section, dict) or not isinstance(section.get("dataset"), dict):
        raise UserError(f"the config has no {mode}.dataset section (with name, data_dir, transforms)")
    try:
        cls = DATASETS.get(section["dataset"].get("name"))
    except UnknownName as e:
        raise UserError(f"{mode}.dataset.name: {e}") from None
    return cls.list_sets(section["dataset"])


def build_set_loaders(config, mode, charset):
    """{set name: DataLoader} over each set of ``list_eval_sets`` (each sharded on its own), in order."""
    loaders = {}
    for name, dataset_section in list_eval_sets(config, mode):
        one = copy.deepcopy(config)
        one[mode]["dataset"] = dataset_section
        loaders[name] = build_dataloader(one, mode, charset)
    return loaders

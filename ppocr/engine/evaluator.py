"""Evaluation: every sample of the set scored once, across however many processes run."""
import numpy as np
import paddle
import paddle.distributed as dist
from tqdm import tqdm


def evaluate(model, loader, postprocess, metric, charset, progress=True):
    """Score ``loader``'s whole set; return the metric plus ``unusable`` (samples that could not
    be read, scored as wrong). With N processes each scores its shard and the counts are summed,
    so the result is the same whatever N.
    """
    was_training = model.training
    model.eval()
    metric.reset()
    unusable = 0
    show = progress and dist.get_rank() == 0
    with paddle.no_grad():
        for batch in tqdm(loader, desc="eval", disable=None if show else True, leave=False, dynamic_ncols=True):
            preds = model(batch["image"])
            results = postprocess(preds)
            valid = _numpy(batch["valid"]).astype(bool)
            labels = [charset.normalise(t) for t in batch["text"]]
            metric.update(results, labels, valid)
            unusable += int((~valid).sum())
    counts = np.append(metric.counts, unusable)
    if dist.get_world_size() > 1:
        total = paddle.to_tensor(counts, dtype="float64")
        dist.all_reduce(total)
        counts = total.numpy()
    metric.reset()
    if was_training:
        model.train()
    out = metric.metric_of(counts[:3])
    out["unusable"] = int(counts[3])
    return out


def _numpy(x):
    return x.numpy() if hasattr(x, "numpy") else np.asarray(x)

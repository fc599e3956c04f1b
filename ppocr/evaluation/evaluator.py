"""Evaluation: every sample of each set scored once, across however many processes run."""
import numpy as np
import paddle
import paddle.distributed as dist

from ppocr.metrics.report import COUNT_FIELDS, EvalReport, SetScore
from ppocr.utils.progress import ProgressBar


def score_loader(model, loader, postprocess, metric, charset, progress=True, desc="eval", failures=None):
    """Counts of ``loader``'s whole set in ``COUNT_FIELDS`` order (correct, samples, distance,
    unusable, unencodable_labels), summed over the processes. With N processes each scores its
    batches (``loader.batch_sampler``: the same batches whatever N) and the counts are
    all-reduced, so the result is the same whatever N. ``failures``: a ``FailureLog`` that is handed every wrongly read sample.
    """
    was_training = model.training
    model.eval()
    counts = np.zeros(len(COUNT_FIELDS), dtype=np.float64)
    sampler = getattr(loader, "batch_sampler", None)
    # the set index of each batch's first sample: the loader reads the sampler's batches in order
    starts = (indices[0] for indices in sampler) if sampler is not None else None
    index = 0
    show = progress and dist.get_rank() == 0
    with paddle.no_grad():
        for batch in ProgressBar(loader, desc=desc, disable=None if show else True, leave=False, dynamic_ncols=True):
            if starts is not None:
                index = next(starts)
            n = len(batch["text"])
            if n == 0:  # only training drops samples; an evaluation batch is never empty
                continue
            results = postprocess(model(batch["image"]))
            valid = _numpy(batch["valid"]).astype(bool)
            # raw texts: the protocol decides what is compared (the reference one applies the charset)
            correct, distance = metric.score(results, batch["text"], valid, charset)
            issues = sum((batch.get("label_issues") or {}).values())
            # distances on a 2**-32 grid: their float64 sums are exact, so neither the batch size nor the
            # number of processes can change norm_edit_dis by a rounding (exact below 2**21 samples)
            counts += (correct.sum(), n, np.round(distance * 2.0**32).sum() / 2.0**32, (~valid).sum(), issues)
            if failures is not None and not correct.all():
                failures.add(index, batch, results, correct, valid)
            index += n
    if dist.get_world_size() > 1:
        total = paddle.to_tensor(counts, dtype="float64")
        dist.all_reduce(total)
        counts = total.numpy()
    if was_training:
        model.train()
    return counts


def evaluate(model, loader, postprocess, metric, charset, progress=True):
    """The metric of one set plus ``unusable`` (samples that could not be read, scored as wrong)
    and ``unencodable_labels`` (labels the charset cannot encode, scored against their text).

    Example::

        evaluate(model, build_dataloader(config, "Eval", charset), postprocess, metric, charset)
        # {'acc': 0.81, 'norm_edit_dis': 0.93, 'samples': 3000, 'unusable': 0, 'unencodable_labels': 0}
    """
    counts = score_loader(model, loader, postprocess, metric, charset, progress=progress)
    out = metric.metric_of(counts)
    out["unusable"] = int(round(counts[3]))
    out["unencodable_labels"] = int(round(counts[4]))
    return out


def evaluate_sets(model, loaders, postprocess, metric, charset, progress=True, failures=None, **report_info):
    """An ``EvalReport`` of every set of ``loaders`` ({name: DataLoader}, in report order).

    Example::

        loaders = build_set_loaders(config, "Eval", charset)
        report = evaluate_sets(model, loaders, postprocess, metric, charset, weights="output/best_accuracy")
        print(report.markdown())
    """
    scores = []
    for name, loader in loaders.items():
        if failures is not None:
            failures.start_set(name, loader.dataset)
        counts = score_loader(model, loader, postprocess, metric, charset, progress=progress, desc=name,
                              failures=failures)
        scores.append(SetScore.from_counts(name, counts))
    return EvalReport(scores, protocol=metric.protocol.name, description=metric.protocol.description, **report_info)


def _numpy(x):
    return x.numpy() if hasattr(x, "numpy") else np.asarray(x)

"""Recognition metrics: word accuracy and normalised edit distance, summable across processes."""
import numpy as np
from rapidfuzz.distance import Levenshtein

from ppocr.metrics.protocols import Protocol, resolve_protocol
from ppocr.registry import METRICS

__all__ = ["Protocol", "RecMetric", "build_metric", "resolve_protocol"]


@METRICS.register()
class RecMetric:
    """Word accuracy (``acc``) and ``norm_edit_dis`` = 1 - mean normalised Levenshtein distance,
    under a scoring ``protocol`` (``alnum36``, ``case_sensitive`` or ``reference``; see
    ``ppocr.metrics.protocols``). ``is_filter`` / ``ignore_space`` are the reference protocol's
    switches; without ``protocol`` the metric is the reference's (default ``ignore_space=True``).

    Counts live in ``self.counts`` = [correct, samples, sum of normalised distances] so that
    several processes can add theirs up (see ``ppocr.evaluation.evaluator``).

    Example::

        m = RecMetric(protocol="alnum36")
        m.update([("hello", 0.9), ("wrld", 0.8)], ["Hello!", "world"])
        m.get_metric()   # {'acc': 0.5, 'norm_edit_dis': 0.9, 'samples': 2}
    """

    def __init__(self, main_indicator="acc", protocol=None, is_filter=None, ignore_space=None):
        self.main_indicator = main_indicator
        self.protocol = resolve_protocol(protocol, is_filter, ignore_space)
        self.reset()

    def score(self, preds, labels, valid=None, charset=None):
        """Per sample: (correct: bool array, normalised edit distance: float array).

        ``preds``: [(text, score)]; ``labels``: the label texts; ``valid``: False marks a sample
        that could not be read (wrong, distance 1); ``charset``: the run's charset, whose label
        normalisation the reference protocol applies first.
        """
        n = len(labels)
        valid = np.ones(n, dtype=bool) if valid is None else np.asarray(valid, dtype=bool)
        correct, distance = np.zeros(n, dtype=bool), np.ones(n, dtype=np.float64)
        for i, ((pred, _), label) in enumerate(zip(preds, labels)):
            if valid[i]:
                pred, label = self.protocol.strings(pred, label, charset)
                correct[i] = pred == label
                distance[i] = Levenshtein.normalized_distance(pred, label)
        return correct, distance

    def accumulate(self, correct, distance):
        """Add per-sample results to the counts; returns this batch's counts."""
        batch = np.array([np.sum(correct), len(correct), np.sum(distance)], dtype=np.float64)
        self.counts += batch
        return batch

    def update(self, preds, labels, valid=None, charset=None):
        """Score a batch (see ``score``), add it to the counts, return the batch's metric."""
        return self.metric_of(self.accumulate(*self.score(preds, labels, valid, charset)))

    @staticmethod
    def metric_of(counts):
        correct, total, dist = (float(v) for v in counts[:3])
        if total == 0:
            return {"acc": 0.0, "norm_edit_dis": 0.0, "samples": 0}
        return {"acc": correct / total, "norm_edit_dis": 1.0 - dist / total, "samples": int(total)}

    def get_metric(self):
        """Metric of everything seen since the last reset; resets."""
        out = self.metric_of(self.counts)
        self.reset()
        return out

    def reset(self):
        self.counts = np.zeros(3, dtype=np.float64)


def build_metric(config):
    return METRICS.build(config["Metric"])

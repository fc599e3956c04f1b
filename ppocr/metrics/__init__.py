"""Recognition metrics: word accuracy and normalised edit distance, summable across processes."""
import string

import numpy as np
from rapidfuzz.distance import Levenshtein

from ppocr.registry import METRICS

_ALNUM = set(string.digits + string.ascii_letters)


@METRICS.register()
class RecMetric:
    """Word accuracy (``acc``) and ``norm_edit_dis`` = 1 - mean normalised Levenshtein distance.

    ``is_filter``: lower-case and keep only 0-9a-zA-Z before comparing (the reference's filter);
    ``ignore_space``: drop spaces before comparing (the reference's default).
    Counts live in ``self.counts`` = [correct, samples, sum of normalised distances] so that
    several processes can add theirs up (see ``ppocr.engine.evaluator``).

    Example::

        m = RecMetric()
        m.update([("hello", 0.9), ("wrld", 0.8)], ["hello", "world"])
        m.get_metric()   # {'acc': 0.5, 'norm_edit_dis': 0.9, 'samples': 2}
    """

    def __init__(self, main_indicator="acc", is_filter=False, ignore_space=True, **unused):
        self.main_indicator = main_indicator
        self.is_filter = is_filter
        self.ignore_space = ignore_space
        self.reset()

    def normalise(self, text):
        if self.ignore_space:
            text = text.replace(" ", "")
        if self.is_filter:
            text = "".join(c for c in text if c in _ALNUM).lower()
        return text

    def update(self, preds, labels, valid=None):
        """``preds``: [(text, score)]; ``labels``: [str]; ``valid``: samples scored as wrong if False."""
        valid = np.ones(len(labels), dtype=bool) if valid is None else np.asarray(valid, dtype=bool)
        batch = self._batch_counts(preds, labels, valid)
        self.counts += batch
        return self.metric_of(batch)

    def _batch_counts(self, preds, labels, valid):
        c = np.zeros(3)
        for (pred, _), label, ok in zip(preds, labels, valid):
            pred, label = self.normalise(pred), self.normalise(label)
            c += (float(ok and pred == label), 1.0, Levenshtein.normalized_distance(pred, label) if ok else 1.0)
        return c

    @staticmethod
    def metric_of(counts):
        correct, total, dist = (float(v) for v in counts)
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

"""The samples a training run skips, said loudly: a run that trains on nothing stops, one that
trains on a small part of its data is warned.

Training drops an unusable sample and counts it by reason (``ppocr.data.skip``). That is right
for a few broken images among millions; it is wrong, and used to be silent but for a count, when
every label has a character outside the dictionary (a run that trained on nothing, ``best none``,
exit 0). So: an epoch in which no step could be taken is a ``UserError`` naming the commonest
reasons with an example of each; past ``WARN_SHARE`` of the samples seen skipped, one warning.

Example::

    report = SkipReport()
    report.add_batch(batch)          # each batch taken from the loader
    report.end_epoch(epoch=1)        # raises when the epoch trained on nothing; warns once past 10 %
"""
import collections
import logging

from ppocr.errors import UserError

logger = logging.getLogger("ppocr")
WARN_SHARE = 0.10  # a larger part of the data skipped is worth a warning: the model trains on the rest


class SkipReport:
    """Skipped and used samples of this run, by reason, with the first example of each reason."""

    def __init__(self, warn=True):
        self.warn = warn  # one process of several says it
        self.skipped = collections.Counter()
        self.examples = {}
        self.used = 0
        self.steps_in_epoch = self.batches_in_epoch = 0
        self.warned = False

    def add_batch(self, batch, trained):
        """A batch taken from the loader; ``trained``: whether a step was taken with it."""
        self.skipped.update(batch.get("skipped") or {})
        for reason, example in (batch.get("skip_examples") or {}).items():
            self.examples.setdefault(reason, example)
        self.batches_in_epoch += 1
        if trained:
            self.used += len(batch["text"])
            self.steps_in_epoch += 1

    def reasons(self, most=3):
        """``"REASON: N (e.g. 'EXAMPLE'); ..."`` of the commonest reasons."""
        parts = []
        for reason, count in self.skipped.most_common(most):
            example = self.examples.get(reason)
            parts.append(f"{reason}: {count}" + (f" (e.g. {example!r})" if example else ""))
        return "; ".join(parts)

    def end_epoch(self, epoch):
        """Raise when the epoch's batches gave no step; warn once when more than WARN_SHARE was skipped."""
        if self.batches_in_epoch and not self.steps_in_epoch:
            total = sum(self.skipped.values())
            raise UserError(f"no sample of epoch {epoch} could be trained on ({total} skipped: {self.reasons()}): "
                            "fix the labels or the data (Global.character_dict_path, Global.max_text_length, "
                            "Train.dataset.data_dir), or pass a dictionary that holds the labels' characters")
        self.steps_in_epoch = self.batches_in_epoch = 0
        self.warn_if_many()

    def warn_if_many(self):
        skipped = sum(self.skipped.values())
        seen = skipped + self.used
        if not self.warn or self.warned or not seen or skipped / seen <= WARN_SHARE:
            return
        self.warned = True
        logger.warning("%d of the %d training samples seen so far were skipped (%.0f%%, more than %.0f%%): %s; "
                       "the model trains on the rest only", skipped, seen, 100 * skipped / seen, 100 * WARN_SHARE,
                       self.reasons())

"""What the LMDB and label-file datasets share: the op pipeline and the handling of unusable samples."""
import functools
import logging
import os

import numpy as np
from paddle.io import Dataset

from ppocr.data.imaug import build_ops
from ppocr.data.imaug.operators import KeepKeys
from ppocr.data.skip import SkipSample
from ppocr.errors import UserError
from ppocr.registry import check_options

logger = logging.getLogger("ppocr")


class RecDataSet(Dataset):
    """A word-image dataset: a subclass says how many samples there are (``__len__``) and how to
    read one (``read_sample(idx, sample)`` sets ``sample["label"]`` (text), then ``sample["image"]``
    (encoded bytes), raising SkipSample; the label comes first so an unusable image keeps its text).

    ``__getitem__`` returns the pipeline's dict (ordered as KeepKeys) plus ``text`` (the raw label)
    and ``valid``. An unusable sample is, in Train mode, ``{'skip': reason, 'example': its label or
    what was wrong}`` (the collate drops and counts it); in any other mode a zero placeholder with ``valid=False`` and ``skip`` set, so
    evaluation scores it as wrong instead of dropping it or reading another sample. Outside Train
    mode a label the charset cannot encode (empty, too long, unknown characters) keeps its image:
    label ids are zero placeholders, ``valid`` stays True and ``label_issue`` gives the reason, so
    the image is scored against its text under the chosen protocol.

    An op with an ``ext_data_num`` (RecConAug) joins other samples to each one: the sample then
    carries ``ext_sample``, a function returning another sample drawn with the sample's ``rng`` and
    run through the ops before that op (or the first ``ext_op_transform_idx`` ops, as in the
    reference), read only when the op asks for it.
    """

    options = ("data_dir", "transforms", "ext_op_transform_idx")  # a subclass adds its own; others are errors

    def __init__(self, config, mode, charset, seed=0):
        super().__init__()
        section = config.get(mode)
        if not isinstance(section, dict) or not isinstance(section.get("dataset"), dict):
            raise UserError(f"the config has no {mode}.dataset section")
        self.mode = mode
        self.dataset_config = section["dataset"]
        check_options("dataset", type(self).__name__, set(self.dataset_config) - {"name"}, self.options)
        self.seed = int(seed)
        self.epoch = 0
        self.ops = build_ops(self.dataset_config.get("transforms"), charset)
        self.ext_ops = self._ext_ops(self.dataset_config.get("ext_op_transform_idx"))
        # extra samples are drawn with the sample's generator, so they too depend on seed, epoch and index only
        self.needs_rng = self.ext_ops is not None or any(getattr(op, "needs_rng", False) for op in self.ops)
        # the sample's metadata (the generator's fiducials ...) is read only for an op that uses it
        self.needs_meta = any(getattr(op, "needs_meta", False) for op in self.ops)
        if not self.is_train:
            self._placeholder_fields()  # fail now, not on the first unusable sample

    @classmethod
    def list_sets(cls, dataset_config):
        """[(name, dataset section)] of the evaluation sets in ``dataset_config``: one by default."""
        return [(set_names([dataset_config.get("data_dir") or "eval"])[0], dataset_config)]

    @property
    def is_train(self):
        return self.mode == "Train"

    def set_epoch(self, epoch):
        """Seeds the per-sample augmentation of the next pass (the train sampler calls this)."""
        self.epoch = int(epoch)

    def read_sample(self, idx, sample):
        raise NotImplementedError

    def __getitem__(self, idx):
        idx = int(idx)
        sample = {}  # what read_sample got; the ops work on a copy, so sample['label'] stays the text
        label_issue = None
        try:
            self.read_sample(idx, sample)
            data = dict(sample)
            text = sample["label"]
            if self.needs_rng:
                data["rng"] = np.random.default_rng([self.seed, self.epoch, idx])
            if self.ext_ops is not None:
                data["ext_sample"] = functools.partial(self.other_sample, data["rng"])
            for op in self.ops:
                try:
                    data = op(data)
                    if isinstance(data.get("label"), str):
                        text = data["label"]  # an op may change the text before it is encoded (RecConAug)
                except SkipSample as e:
                    if self.is_train or not getattr(op, "encodes_label", False):
                        raise
                    # evaluation scores the image against its text; the label ids only feed a loss
                    data.update(op.placeholder())
                    label_issue = e.reason
        except SkipSample as e:
            logger.debug("%s sample %d unusable: %s", self.mode, idx, e)
            if self.is_train:  # the label (or what was wrong) goes along, as an example of the reason
                return {"skip": e.reason, "example": str(e.detail if e.detail is not None else sample.get("label", ""))}
            out = self._placeholder_fields()
            out.update(text=sample.get("label", ""), valid=False, skip=e.reason)
            return out
        data.pop("rng", None)
        data.pop("ext_sample", None)
        data["text"] = text
        data["valid"] = True
        if label_issue is not None:
            data["label_issue"] = label_issue
        return data

    def _ext_ops(self, count):
        """The ops an extra sample runs through, or None when no op asks for extra samples."""
        asking = [i for i, op in enumerate(self.ops) if getattr(op, "ext_data_num", 0)]
        if not asking:
            return None
        if count is None:
            return self.ops[: asking[0]]
        name = type(self.ops[asking[0]]).__name__
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= asking[0]:
            raise UserError(f"{self.mode}.dataset.ext_op_transform_idx is how many of the first transforms prepare "
                            f"the samples {name} joins: an integer from 0 to {asking[0]} (the ops before {name}); "
                            f"got {count!r}. Leave it out to use all the ops before {name}")
        return self.ops[:count]

    def other_sample(self, rng):
        """A sample drawn at random with ``rng``, run through ``ext_ops``: its text ``label`` and ``image``;
        None when ten draws in a row are unusable (the asking op then joins nothing more)."""
        for _ in range(10):
            idx = int(rng.integers(len(self)))
            sample = {}
            try:
                self.read_sample(idx, sample)
                data = dict(sample, rng=rng)
                for op in self.ext_ops:
                    data = op(data)
            except SkipSample as e:
                logger.debug("%s sample %d unusable as an extra sample: %s", self.mode, idx, e)
                continue
            data.pop("rng", None)
            return data
        return None

    def _placeholder_fields(self):
        fields = {}
        for op in self.ops:
            if hasattr(op, "placeholder"):
                fields.update(op.placeholder())
        keep = self.ops[-1]
        if not isinstance(keep, KeepKeys):
            return fields
        missing = [k for k in keep.keep_keys if k not in fields]
        if missing:
            raise UserError(f"{self.mode}: cannot build the stand-in of an unusable sample for keys {missing}; "
                            f"keep only keys the ops produce ({sorted(fields)})")
        return {k: fields[k] for k in keep.keep_keys}


def set_names(paths):
    """A report name per path: its last component, or the whole path where two would clash."""
    names = [os.path.basename(os.path.normpath(str(p))) or str(p) for p in paths]
    return [str(p) if names.count(n) > 1 else n for n, p in zip(names, paths)]

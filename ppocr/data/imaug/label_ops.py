"""Label encoders: text -> fixed-length id arrays, through the run's one charset."""
import logging

import numpy as np

from ppocr.charset import UnusableLabel
from ppocr.data.skip import SkipSample
from ppocr.registry import DATA_OPS

logger = logging.getLogger("ppocr")

# The reference merged every Global key into each op; in this project the charset owns them.
CHARSET_KEYS = {"max_text_length", "character_dict_path", "use_space_char", "lower", "character_type"}


def _warn_unused(op_name, options):
    unknown = sorted(set(options) - CHARSET_KEYS)
    if unknown:
        logger.warning("%s ignores the options %s (the charset comes from Global and PostProcess)",
                       op_name, unknown)


class _LabelEncode:
    """Shared part: ``charset.encode`` with unusable labels turned into ``SkipSample``."""

    encodes_label = True  # evaluation can do without its output (see RecDataSet.__getitem__)

    def __init__(self, charset, **options):
        _warn_unused(type(self).__name__, options)
        self.charset = charset
        self.max_text_length = charset.max_text_length

    def _ids(self, text):
        try:
            return self.charset.encode(text)
        except UnusableLabel as e:
            raise SkipSample(e.reason, text) from None

    def placeholder(self):
        """Zero fields of an unusable evaluation sample, shaped like a real one."""
        return {"label": np.zeros(self.label_size, dtype=np.int64), "length": np.array(0, dtype=np.int64)}


@DATA_OPS.register()
class CTCLabelEncode(_LabelEncode):
    """``label`` -> ids padded with the blank (0) to ``max_text_length``; ``length`` = #chars."""

    @property
    def label_size(self):
        return self.max_text_length

    def __call__(self, data):
        ids = self._ids(data["label"])
        label = np.zeros(self.label_size, dtype=np.int64)
        label[: len(ids)] = ids
        data["label"] = label
        data["length"] = np.array(len(ids), dtype=np.int64)
        return data


@DATA_OPS.register()
class SPINLabelEncode(_LabelEncode):
    """``label`` -> [sos, ids..., eos] padded with 0 to ``max_text_length + 2``; ``length`` = #chars.

    The two extra slots hold sos and eos, so a label of exactly ``max_text_length`` characters fits.
    """

    @property
    def label_size(self):
        return self.max_text_length + 2

    def __call__(self, data):
        ids = self._ids(data["label"])
        label = np.zeros(self.label_size, dtype=np.int64)
        label[0] = self.charset.sos
        label[1 : 1 + len(ids)] = ids
        label[1 + len(ids)] = self.charset.eos
        data["label"] = label
        data["length"] = np.array(len(ids), dtype=np.int64)
        return data

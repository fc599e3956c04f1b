"""Label encoders: text -> the fixed-length training target, through the run's one charset.

The charset knows the layout (``Charset.encode_label``); an encoder only names the layout it
expects (``charset_scheme``, as the heads and decoders do), so a config whose encoder and head
disagree is refused when the charset is built.
"""
import numpy as np

from ppocr.charset import UnusableLabel
from ppocr.data.skip import SkipSample
from ppocr.errors import UserError
from ppocr.registry import DATA_OPS


class _LabelEncode:
    """``data['label']`` (text) -> ``label`` (ids) and ``length``; an unusable text is ``SkipSample``."""

    charset_scheme = None
    encodes_label = True  # evaluation can do without its output (see RecDataSet.__getitem__)

    def __init__(self, charset):
        if charset is None:
            raise UserError(f"data op {type(self).__name__} needs the run's charset, but none was given")
        if charset.scheme != self.charset_scheme:
            raise UserError(f"{type(self).__name__} makes {self.charset_scheme} labels but the charset is "
                            f"{charset.scheme}: use the label encoder of the model's head")
        self.charset = charset

    @property
    def label_size(self):
        return self.charset.label_size

    def __call__(self, data):
        text = data["label"]
        try:
            data["label"], data["length"] = self.charset.encode_label(text)
        except UnusableLabel as e:
            raise SkipSample(e.reason, text) from None
        return data

    def placeholder(self):
        """Fields of an unusable evaluation sample, shaped like a real one."""
        return {"label": np.full(self.label_size, self.charset.pad, dtype=np.int64),
                "length": np.array(0, dtype=np.int64)}


@DATA_OPS.register()
class CTCLabelEncode(_LabelEncode):
    """CTC targets: ids padded with the blank to ``max_text_length`` (``CTCCharset``)."""

    charset_scheme = "ctc"


@DATA_OPS.register()
class SPINLabelEncode(_LabelEncode):
    """Attention targets: ``[sos, ids..., eos]`` padded to ``max_text_length + 2`` (``AttnCharset``)."""

    charset_scheme = "attn"

"""Post-processing: model output probabilities -> (text, score), through the charset."""
import numpy as np

from ppocr.registry import POSTPROCESS


class _GreedyDecode:
    charset_scheme = None

    def __init__(self, charset, **unused):
        self.charset = charset

    def __call__(self, preds):
        """``preds``: [N, T, C] probabilities (Tensor or array) -> [(text, score)] per image."""
        if hasattr(preds, "numpy"):
            preds = preds.numpy()
        preds = np.asarray(preds)
        return self.charset.decode(preds.argmax(axis=2), preds.max(axis=2))


@POSTPROCESS.register()
class CTCLabelDecode(_GreedyDecode):
    """Greedy CTC decoding: merge repeats, drop blanks; score = mean probability of kept steps."""

    charset_scheme = "ctc"


@POSTPROCESS.register()
class SPINLabelDecode(_GreedyDecode):
    """Greedy attention decoding, stopping at ``eos``; score = mean probability of kept characters."""

    charset_scheme = "attn"


def build_postprocess(config, charset):
    cfg = dict(config["PostProcess"])
    return POSTPROCESS.get(cfg.pop("name"))(charset, **cfg)

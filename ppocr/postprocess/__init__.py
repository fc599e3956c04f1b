"""Post-processing: model output probabilities -> (text, score), decoded by the run's charset.

Each decoder names the charset layout (``charset_scheme``) it reads; the model's head declares the
layout of the run, and a decoder of another is refused when the charset is built
(``ppocr.charset.build_charset``).
"""
import numpy as np

from ppocr.charset import POSTPROCESS_KEYS
from ppocr.errors import UserError
from ppocr.registry import POSTPROCESS


class _GreedyDecode:
    """Best class per step, then ``charset.decode``; the decoder has no option of its own (the
    PostProcess section's ``use_space_char`` and ``lower`` are the charset's: ``build_decoder``)."""

    charset_scheme = None

    def __init__(self, charset):
        self.charset = charset

    def __call__(self, preds):
        """``preds``: [N, T, C] probabilities (Tensor or array) -> [(text, score)] per image."""
        if hasattr(preds, "numpy"):
            preds = preds.numpy()
        preds = np.asarray(preds)
        if preds.shape[-1] > self.charset.num_classes:
            # fewer is fine (PaddleOCR's default adds a space the model never predicts); more cannot be decoded
            raise UserError(f"the model outputs {preds.shape[-1]} classes but the charset has {self.charset.num_classes} "
                            f"({len(self.charset.characters)} characters and {len(self.charset.specials)} special tokens): "
                            "give the dictionary the model was trained with (--rec_char_dict_path, --use_space_char)")
        return self.charset.decode(preds.argmax(axis=2), preds.max(axis=2))


@POSTPROCESS.register()
class CTCLabelDecode(_GreedyDecode):
    """Greedy CTC decoding: merge repeats, drop blanks; score = mean probability of kept steps."""

    charset_scheme = "ctc"


@POSTPROCESS.register()
class SPINLabelDecode(_GreedyDecode):
    """Greedy attention decoding, stopping at ``eos``; score = mean probability of kept characters."""

    charset_scheme = "attn"


def build_decoder(section, charset):
    """The decoder of a PostProcess section (a config's, or an exported folder's ``inference.yml``),
    decoding with ``charset``; the section's keys that the charset reads (``PostProcess.use_space_char``,
    ``PostProcess.lower``: ``ppocr.charset.build_charset``) are left to it."""
    return POSTPROCESS.build({k: v for k, v in section.items() if k not in POSTPROCESS_KEYS}, charset=charset)


def build_postprocess(config, charset):
    return build_decoder(config["PostProcess"], charset)

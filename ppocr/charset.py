"""The character set of a recogniser: the one object that knows the class layout, the special
tokens, how a text becomes a training label and how model output becomes text again.

The head's class count, the label encoders of the data pipeline, the losses (CTC blank, the
attention padding to ignore) and the post-processing all ask the run's ``Charset``, so they
can never disagree. Two layouts (schemes):

- ``ctc`` (STAR-Net): ``blank`` at 0, then the characters. A label is the character ids
  padded with ``blank`` to ``max_text_length``.
- ``attn`` (SPIN): ``sos`` at 0, ``eos`` at 1, then the characters. A label is
  ``[sos, c1..cn, eos]`` padded with ``pad`` (= ``sos``'s id, as in the reference release) to
  ``max_text_length + 2``, so a label of exactly ``max_text_length`` characters fits.

Example::

    charset = AttnCharset(character_dict_path="ppocr/utils/dict/spin_dict.txt")
    label, length = charset.encode_label("Hello")   # [0, ids of H e l l o, 1, 0, ...], 5
    charset.decode_label([label], [length])          # ['Hello']
"""
import os

import numpy as np

from ppocr.errors import UserError
from ppocr.global_settings import GlobalSettings
from ppocr.registry import CHARSETS, DATA_OPS, HEADS, POSTPROCESS

DEFAULT_CHARACTERS = "0123456789abcdefghijklmnopqrstuvwxyz"


class UnusableLabel(ValueError):
    """A label that cannot be encoded; ``reason`` is a short key used in skip counts."""

    def __init__(self, reason, text):
        super().__init__(f"{reason}: {text!r}")
        self.reason = reason
        self.text = text


def read_dict(path, use_space_char=False):
    """Characters of a dictionary file (one per line, empty lines left out); a missing file, or a
    character on two lines, is a UserError."""
    if not os.path.isfile(path) and not os.path.isabs(path):
        # configs name dictionaries relative to the project, e.g. ./ppocr/utils/dict/spin_dict.txt
        project_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        if os.path.isfile(os.path.join(project_root, path)):
            path = os.path.join(project_root, path)
    if not os.path.isfile(path):
        raise UserError(
            f"character dictionary {path!r} does not exist: give the path of a file with one "
            "character per line (e.g. ppocr/utils/dict/spin_dict.txt, relative to the project)"
        )
    with open(path, "rb") as f:
        lines = [line.decode("utf-8").rstrip("\r\n") for line in f]
    first_line = {}
    for number, char in enumerate(lines, start=1):
        if char in first_line:
            # the reference maps both lines to the class of the last one: one class is never predicted
            raise UserError(f"character dictionary {path!r} repeats {char!r}: line {number} is also line "
                            f"{first_line[char]}; each character must be on one line only: remove line {number}")
        if char:
            first_line[char] = number
    chars = list(first_line)
    if use_space_char and " " not in chars:
        chars.append(" ")
    if not chars:
        raise UserError(f"character dictionary {path!r} is empty")
    return chars


class Charset:
    """Special tokens first, then the characters. Subclasses set ``scheme``, ``specials``,
    ``pad``, ``label_size`` and the layout of a label (``_layout``/``_strip``).

    ``character_dict_path`` empty means the 36 characters 0-9a-z with labels lower-cased.
    """

    scheme = None
    specials = ()
    default_lower = False  # whether labels are lower-cased when a dictionary is given

    def __init__(self, character_dict_path=None, use_space_char=False, max_text_length=GlobalSettings.max_text_length,
                 lower=None):
        if character_dict_path:
            characters, default_lower = read_dict(character_dict_path, use_space_char), self.default_lower
        else:
            characters, default_lower = list(DEFAULT_CHARACTERS), True
        self._setup(characters, default_lower if lower is None else bool(lower), max_text_length)

    def _setup(self, characters, lower, max_text_length):
        self.characters = list(characters)
        self.lower = lower
        self.max_text_length = int(max_text_length)
        self.tokens = list(self.specials) + self.characters
        self.index = {c: i for i, c in enumerate(self.tokens) if i >= len(self.specials)}

    @property
    def num_classes(self):
        return len(self.tokens)

    def normalise(self, text):
        return text.lower() if self.lower else text

    def encode(self, text):
        """Character ids of ``text``; raises UnusableLabel (empty, too long, unknown char)."""
        text = self.normalise(text)
        if not text:
            raise UnusableLabel("empty label", text)
        if len(text) > self.max_text_length:
            raise UnusableLabel("label longer than max_text_length", text)
        if any(c not in self.index for c in text):
            raise UnusableLabel("character outside the charset", text)
        return [self.index[c] for c in text]

    def encode_label(self, text):
        """``(label, length)``: the int64 ``[label_size]`` training target of ``text`` and its
        number of characters; raises UnusableLabel."""
        ids = self.encode(text)
        label = np.full(self.label_size, self.pad, dtype=np.int64)
        layout = self._layout(ids)
        label[: len(layout)] = layout
        return label, np.array(len(ids), dtype=np.int64)

    def decode_label(self, labels, lengths):
        """The texts of ``encode_label``'s outputs (rows of ``labels``, with their ``lengths``)."""
        return ["".join(self.tokens[i] for i in self._strip(np.asarray(row), int(n)))
                for row, n in zip(labels, lengths)]

    def _join(self, ids, probs):
        text = "".join(self.tokens[i] for i in ids)
        score = float(np.mean(probs)) if len(probs) else 0.0
        return text, score

    def to_dict(self):
        """What an exported model needs to rebuild this charset without the dictionary file."""
        return {"scheme": self.scheme, "characters": self.characters, "lower": self.lower,
                "max_text_length": self.max_text_length}

    @classmethod
    def from_dict(cls, d):
        charset = cls.__new__(cls)
        charset._setup(d["characters"], bool(d["lower"]), d["max_text_length"])
        return charset


@CHARSETS.register("ctc")
class CTCCharset(Charset):
    """CTC layout: ``blank`` at 0; labels are the ids padded with ``blank``."""

    scheme = "ctc"
    specials = ("blank",)
    blank = 0
    pad = blank

    @property
    def label_size(self):
        return self.max_text_length

    def _layout(self, ids):
        return ids

    def _strip(self, row, length):
        return row[:length]

    def decode(self, ids, probs):
        """Greedy CTC: merge repeats, drop blanks. ``ids``/``probs``: [N, T] -> [(text, score)]."""
        out = []
        for row_ids, row_probs in zip(np.asarray(ids), np.asarray(probs)):
            keep = np.ones(len(row_ids), dtype=bool)
            keep[1:] = row_ids[1:] != row_ids[:-1]
            keep &= row_ids != self.blank
            out.append(self._join(row_ids[keep], row_probs[keep]))
        return out


@CHARSETS.register("attn")
class AttnCharset(Charset):
    """Attention layout (SPIN): ``sos`` at 0, ``eos`` at 1; labels ``[sos, text, eos]`` padded
    with ``pad``, which shares ``sos``'s id (the reference's layout, which its weights assume) and
    which the loss ignores."""

    scheme = "attn"
    specials = ("sos", "eos")
    sos, eos = 0, 1
    pad = sos
    default_lower = True  # SPIN's reference post-processing compares lower-cased text

    @property
    def label_size(self):
        return self.max_text_length + 2

    def _layout(self, ids):
        return [self.sos, *ids, self.eos]

    def _strip(self, row, length):
        return row[1 : 1 + length]

    def decode(self, ids, probs):
        """Greedy attention output: characters up to the first ``eos`` (the reference ignored it)."""
        out = []
        for row_ids, row_probs in zip(np.asarray(ids), np.asarray(probs)):
            stop = np.flatnonzero(row_ids == self.eos)
            end = stop[0] if len(stop) else len(row_ids)
            row_ids, row_probs = row_ids[:end], row_probs[:end]
            keep = row_ids != self.sos
            out.append(self._join(row_ids[keep], row_probs[keep]))
        return out


# the PostProcess keys build_charset reads (the decoders take none: ppocr.postprocess.build_decoder)
POSTPROCESS_KEYS = ("use_space_char", "lower")


def charset_from_dict(d):
    return CHARSETS.get(d["scheme"]).from_dict(d)


def build_charset(config, settings=None):
    """The run's charset: its layout declared by the model's head (``charset_scheme`` of the class
    named by ``Architecture.Head.name``, which the charset sizes), its characters from Global
    (``character_dict_path``, ``max_text_length``, ``use_space_char``: the reference applies Global over
    PostProcess, so PostProcess's ``use_space_char`` counts only where Global has none), ``lower``
    from PostProcess. ``settings``: the config's ``GlobalSettings`` when the caller has them.

    The head must be registered (importing ``ppocr.modeling`` registers them all). A label encoder
    (Train or Eval) or a PostProcess decoder of another layout is a one-line error naming both.

    Example::

        import ppocr.modeling  # noqa: F401  (registers the heads)
        charset = build_charset(load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml"))   # CTCCharset, 37 classes
    """
    head = ((config.get("Architecture") or {}).get("Head") or {}).get("name")
    if not head:
        raise UserError("the config has no Architecture.Head.name (e.g. CTCHead or SPINAttentionHead)")
    scheme = HEADS.get(head).charset_scheme
    _check_layouts(config, head, scheme)
    settings, post = settings or GlobalSettings.of(config), config.get("PostProcess") or {}
    return CHARSETS.get(scheme)(
        character_dict_path=settings.character_dict_path or None,
        use_space_char=bool(settings.use_space_char if settings.use_space_char is not None
                            else post.get("use_space_char", False)),
        max_text_length=settings.max_text_length,
        lower=post.get("lower"),
    )


def _check_layouts(config, head, scheme):
    """Every label encoder and the decoder read the head's layout (those registered: all, once the
    data ops and post-processing are imported)."""
    fix = ("use the encoder and decoder of the head's algorithm (CTCLabelEncode and CTCLabelDecode with "
           "CTCHead, SPINLabelEncode and SPINLabelDecode with SPINAttentionHead)")
    for mode in ("Train", "Eval"):
        transforms = ((config.get(mode) or {}).get("dataset") or {}).get("transforms") or []
        for item in transforms:
            name = next(iter(item)) if isinstance(item, dict) and len(item) == 1 else None
            made = getattr(DATA_OPS.get(name), "charset_scheme", None) if name in DATA_OPS else None
            if made is not None and made != scheme:
                raise UserError(f"{mode}.dataset.transforms: {name} makes {made} labels but the head {head} "
                                f"needs {scheme} labels: {fix}")
    decoder = (config.get("PostProcess") or {}).get("name")
    read = getattr(POSTPROCESS.get(decoder), "charset_scheme", None) if decoder in POSTPROCESS else None
    if read is not None and read != scheme:
        raise UserError(f"PostProcess {decoder} decodes {read} output but the head {head} makes {scheme} output: {fix}")

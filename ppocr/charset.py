"""The character set of a recogniser: one object owns the class layout, encoding and decoding.

The class count of a model's head, the label encoder of the data pipeline and the decoder of
the post-processing all come from the same ``Charset``, so they can never disagree.
"""
import os

import numpy as np

from ppocr.errors import UserError
from ppocr.registry import CHARSETS, POSTPROCESS

DEFAULT_CHARACTERS = "0123456789abcdefghijklmnopqrstuvwxyz"


class UnusableLabel(ValueError):
    """A label that cannot be encoded; ``reason`` is a short key used in skip counts."""

    def __init__(self, reason, text):
        super().__init__(f"{reason}: {text!r}")
        self.reason = reason
        self.text = text


def read_dict(path, use_space_char=False):
    """Characters of a dictionary file (one per line); a missing file is a UserError."""
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
        chars = [line.decode("utf-8").rstrip("\r\n") for line in f]
    chars = [c for c in chars if c != ""]
    if use_space_char and " " not in chars:
        chars.append(" ")
    if not chars:
        raise UserError(f"character dictionary {path!r} is empty")
    return chars


class Charset:
    """Special tokens first, then the characters. Subclasses set ``specials`` and ``decode``.

    ``character_dict_path`` empty means the 36 characters 0-9a-z with labels lower-cased.
    """

    specials = ()

    def __init__(self, character_dict_path=None, use_space_char=False, max_text_length=25, lower=None):
        if character_dict_path:
            self.characters = read_dict(character_dict_path, use_space_char)
            default_lower = False
        else:
            self.characters = list(DEFAULT_CHARACTERS)
            default_lower = True
        self.lower = default_lower if lower is None else bool(lower)
        self.max_text_length = int(max_text_length)
        self.tokens = list(self.specials) + self.characters
        self.index = {c: i for i, c in enumerate(self.tokens) if i >= len(self.specials)}

    @property
    def num_classes(self):
        return len(self.tokens)

    def normalise(self, text):
        return text.lower() if self.lower else text

    def encode(self, text):
        """Character indices of ``text``; raises UnusableLabel (empty, too long, unknown char)."""
        text = self.normalise(text)
        if not text:
            raise UnusableLabel("empty label", text)
        if len(text) > self.max_text_length:
            raise UnusableLabel("label longer than max_text_length", text)
        missing = [c for c in text if c not in self.index]
        if missing:
            raise UnusableLabel("character outside the charset", text)
        return [self.index[c] for c in text]

    def to_dict(self):
        """What an exported model needs to rebuild this charset without the dictionary file."""
        return {
            "scheme": self.scheme,
            "characters": self.characters,
            "lower": self.lower,
            "max_text_length": self.max_text_length,
        }

    @classmethod
    def from_dict(cls, d):
        charset = cls.__new__(cls)
        charset.characters = list(d["characters"])
        charset.lower = bool(d["lower"])
        charset.max_text_length = int(d["max_text_length"])
        charset.tokens = list(cls.specials) + charset.characters
        charset.index = {c: i for i, c in enumerate(charset.tokens) if i >= len(cls.specials)}
        return charset

    def _join(self, ids, probs):
        text = "".join(self.tokens[i] for i in ids)
        score = float(np.mean(probs)) if len(probs) else 0.0
        return text, score


@CHARSETS.register("ctc")
class CTCCharset(Charset):
    """CTC layout: blank at index 0."""

    scheme = "ctc"
    specials = ("blank",)
    blank = 0

    def decode(self, ids, probs):
        """Greedy CTC: merge repeats, drop blanks. ``ids``/``probs``: [N, T] -> [(text, score)]."""
        out = []
        for row_ids, row_probs in zip(np.asarray(ids), np.asarray(probs)):
            keep = np.ones(len(row_ids), dtype=bool)
            keep[1:] = row_ids[1:] != row_ids[:-1]
            keep &= row_ids != self.blank
            out.append(self._join(row_ids[keep], row_probs[keep]))
        return out

    def decode_label(self, label, length):
        return ["".join(self.tokens[i] for i in row[: int(n)]) for row, n in zip(np.asarray(label), np.asarray(length))]


@CHARSETS.register("attn")
class AttnCharset(Charset):
    """Attention layout (SPIN): ``sos`` at 0, ``eos`` at 1; targets are sos + text + eos, padded."""

    scheme = "attn"
    specials = ("sos", "eos")
    sos, eos = 0, 1

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

    def decode_label(self, label, length):
        # label rows are [sos, c1..cn, eos, pad...]
        return ["".join(self.tokens[i] for i in row[1 : 1 + int(n)]) for row, n in zip(np.asarray(label), np.asarray(length))]


def build_charset(config):
    """The charset of a whole config: layout from PostProcess, characters from Global.

    Example::

        charset = build_charset(load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml"))
        charset.num_classes   # 37
    """
    glob = config.get("Global") or {}
    post = config.get("PostProcess") or {}
    if "name" not in post:
        raise UserError("the config has no PostProcess.name (e.g. CTCLabelDecode or SPINLabelDecode)")
    import ppocr.postprocess  # noqa: F401  (registers the decoders)

    scheme = POSTPROCESS.get(post["name"]).charset_scheme
    use_space = post.get("use_space_char", glob.get("use_space_char", False))
    return CHARSETS.get(scheme)(
        character_dict_path=glob.get("character_dict_path") or None,
        use_space_char=bool(use_space),
        max_text_length=glob.get("max_text_length", 25),
        lower=post.get("lower", None) if scheme == "ctc" else post.get("lower", True),
    )


def charset_from_dict(d):
    return CHARSETS.get(d["scheme"]).from_dict(d)

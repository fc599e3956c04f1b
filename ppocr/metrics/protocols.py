"""Scoring protocols: which strings are compared when a prediction is scored against its label.

``alnum36``         the field's protocol (the IIIT5k / SVT / IC13 / IC15 / SVTP / CUTE80 tables):
                    lower-case both, drop every character outside 0-9a-z, compare. Every sample
                    counts, also one whose filtered label is empty (then an empty filtered
                    prediction is right).
``case_sensitive``  compare the prediction with the label exactly as stored: case, spaces and
                    punctuation all count.
``reference``       PaddleOCR's RecMetric: the label as the reference's label encoder saw it
                    (lower-cased by the charset for these models), then ``ignore_space`` drops
                    spaces and ``is_filter`` keeps 0-9a-zA-Z lower-cased, on both strings.

Precedence (``resolve_protocol``): an explicit ``Metric.protocol`` wins; ``is_filter`` /
``ignore_space`` only shape the ``reference`` protocol. Without ``Metric.protocol`` a config
scores as the reference did, so the reference's configs load unchanged and give its numbers;
the project's ``configs/rec/*.yml`` add ``protocol: alnum36``.
"""
import logging
import string
from dataclasses import dataclass

from ppocr.errors import UserError

logger = logging.getLogger("ppocr")

ALNUM36 = frozenset(string.digits + string.ascii_lowercase)
ALNUM62 = frozenset(string.digits + string.ascii_letters)
DESCRIPTIONS = {
    "alnum36": "lower-case, only 0-9a-z compared, every sample counted",
    "case_sensitive": "exact strings: case, spaces and punctuation count",
    "reference": "PaddleOCR RecMetric: charset-normalised label",
}


@dataclass(frozen=True)
class Protocol:
    """One scoring protocol; ``strings(pred, label, charset)`` gives the two strings to compare.

    Example::

        Protocol("alnum36").strings("Hello!", "hello", None)   # ('hello', 'hello')
    """

    name: str
    is_filter: bool = None  # reference protocol only; None there means False
    ignore_space: bool = None  # reference protocol only; None there means True

    def strings(self, pred, label, charset=None):
        if self.name == "alnum36":
            return _alnum36(pred), _alnum36(label)
        if self.name == "case_sensitive":
            return pred, label
        if charset is not None:
            # the reference compared with the label its encoder kept: lower-cased for these charsets
            label = charset.normalise(label)
        return self._reference(pred), self._reference(label)

    def _reference(self, text):
        if self.ignore_space is not False:
            text = text.replace(" ", "")
        if self.is_filter:
            text = "".join(c for c in text if c in ALNUM62).lower()
        return text

    @property
    def description(self):
        if self.name != "reference":
            return DESCRIPTIONS[self.name]
        return (f"{DESCRIPTIONS['reference']}, is_filter={bool(self.is_filter)}, "
                f"ignore_space={self.ignore_space is not False}")


def _alnum36(text):
    return "".join(c for c in text.lower() if c in ALNUM36)


def resolve_protocol(protocol=None, is_filter=None, ignore_space=None):
    """The Protocol of a Metric section (see the module docstring for the precedence).

    Example::

        resolve_protocol(None, is_filter=True)             # reference, is_filter=True (a reference config)
        resolve_protocol("alnum36", is_filter=True).name   # 'alnum36': the explicit protocol wins
    """
    name = "reference" if protocol is None else str(protocol)
    if name not in DESCRIPTIONS:
        raise UserError(f"Metric.protocol must be one of {sorted(DESCRIPTIONS)}, got {protocol!r}; "
                        "e.g. -o Metric.protocol=alnum36")
    if name != "reference":
        given = [k for k, v in (("is_filter", is_filter), ("ignore_space", ignore_space)) if v is not None]
        if given:
            logger.info("Metric.protocol %s takes precedence: %s applies only to protocol 'reference'",
                        name, " and ".join(given))
        return Protocol(name)
    return Protocol("reference", is_filter=bool(is_filter), ignore_space=ignore_space is None or bool(ignore_space))

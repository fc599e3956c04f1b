"""The kinds of config value the engine reads itself (a positive integer, a path, a device name,
...): each a ``Check`` that normalises a value or raises a one-line ``UserError`` naming the key and
an example. ``ppocr.global_settings`` types the Global keys with them, ``ppocr.config_check`` the keys of
the other sections.

Example::

    POSITIVE.apply("Global.epoch_num", 10.0)     # 10
    POSITIVE.apply("Global.epoch_num", "ten")    # UserError: Global.epoch_num must be a positive integer, ...
"""
import math

from ppocr.errors import UserError

class _Wrong(Exception):
    pass


class Check:
    """One kind of value: ``convert(value)`` returns it (normalised) or raises ``_Wrong``."""

    def __init__(self, convert, expected, example):
        self.convert, self.expected, self.example = convert, expected, example

    def apply(self, dotted, value):
        """``value`` of key ``dotted`` normalised, or a UserError naming the key and an example."""
        try:
            return self.convert(value)
        except _Wrong:
            raise UserError(f"{dotted} must be {self.expected}, got {value!r}: fix it in the config "
                            f"or override it, e.g. -o {dotted}={self.example}") from None


def integer(minimum):
    def convert(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise _Wrong
        return value

    return convert


def number(low, high=math.inf, low_open=False):
    def convert(value):
        if isinstance(value, str):  # YAML 1.1 reads 1e-3 (no dot) as a string
            try:
                value = float(value)
            except ValueError:
                raise _Wrong from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _Wrong
        if value < low or (low_open and value == low) or value >= high:
            raise _Wrong
        return value

    return convert


def _boolean(value):
    if not isinstance(value, bool):
        raise _Wrong
    return value


def _path(value):
    if not isinstance(value, str):
        raise _Wrong
    return value


def list_of(convert):
    def check(value):
        if not isinstance(value, (list, tuple)) or not value:
            raise _Wrong
        return [convert(v) for v in value]

    return check


def _eval_batch_step(value):
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise _Wrong
        return [integer(0)(value[0]), integer(1)(value[1])]
    return integer(1)(value)


DEVICE_KINDS = ("cpu", "gpu", "xpu", "npu", "mlu", "gcu")  # Paddle's device names (ppocr.utils.device)


def _device(value):
    if not isinstance(value, str):
        raise _Wrong
    kind, colon, number = value.lower().partition(":")
    if kind not in DEVICE_KINDS or colon and not (kind != "cpu" and number.isdigit()):
        raise _Wrong
    return value.lower()


def _one_of(*choices):
    def convert(value):
        if not isinstance(value, str) or value.strip() not in choices:
            raise _Wrong
        return value.strip()

    return convert


def _names(value):
    """A list of operator names (an empty list or none is fine)."""
    if value in ([], ()):
        return []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v for v in value):
        raise _Wrong
    return list(value)


def _ranks(value):
    """``log_ranks``: '0', '0,1', 0 or [0, 1] -> (0, 1) (the reference takes a string or an int)."""
    parts = value if isinstance(value, (list, tuple)) else str(value).split(",")
    try:
        ranks = tuple(int(str(part).strip()) for part in parts)
    except ValueError:
        raise _Wrong from None
    if not ranks or any(rank < 0 for rank in ranks) or isinstance(value, bool):
        raise _Wrong
    return ranks


POSITIVE = Check(integer(1), "a positive integer", "10")
NON_NEGATIVE = Check(integer(0), "an integer >= 0", "4")


def _auto_or_positive(value):
    return "auto" if value == "auto" else integer(1)(value)


BOOL = Check(_boolean, "True or False", "True")
PATH = Check(_path, "a path (or empty)", "./output/rec/x/")
DEVICE = Check(_device, "cpu, gpu or gpu:N (xpu, npu, mlu, gcu likewise)", "gpu:0")
AMP_LEVEL = Check(_one_of("O1", "O2"), "O1 or O2", "O1")
AMP_DTYPE = Check(_one_of("float16", "bfloat16"), "float16 or bfloat16", "bfloat16")
OP_NAMES = Check(_names, "a list of Paddle operator names", "[matmul_v2,elementwise_add]")
POSITIVE_NUMBER = Check(number(0, low_open=True), "a positive number", "1024.0")
RANKS = Check(_ranks, "a rank or ranks separated by commas", "0,1")
REPLICAS = Check(_auto_or_positive, "auto or a positive integer", "2")
EVAL_BATCH_STEP = Check(_eval_batch_step, "[start, every] (integers) or one positive integer", "[0,2000]")

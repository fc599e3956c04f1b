"""Types of the config values the engine reads itself, checked once when a tool starts, so that a
wrong one is a one-line error naming the key, not a traceback from the middle of training.

The options of a component (``Architecture.Backbone.scale``, a data op's ``image_shape``) belong
to the component: its registry checks its name and option names, the component their values.
"""
import math

from ppocr.errors import UserError

SECTIONS = ("Global", "Optimizer", "Architecture", "Loss", "PostProcess", "Metric", "Train", "Eval")


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


def _integer(minimum):
    def convert(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise _Wrong
        return value

    return convert


def _number(low, high=math.inf, low_open=False):
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


def _list_of(convert):
    def check(value):
        if not isinstance(value, (list, tuple)) or not value:
            raise _Wrong
        return [convert(v) for v in value]

    return check


def _eval_batch_step(value):
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise _Wrong
        return [_integer(0)(value[0]), _integer(1)(value[1])]
    return _integer(1)(value)


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


POSITIVE = Check(_integer(1), "a positive integer", "10")
NON_NEGATIVE = Check(_integer(0), "an integer >= 0", "4")


def _auto_or_positive(value):
    return "auto" if value == "auto" else _integer(1)(value)


BOOL = Check(_boolean, "True or False", "True")
PATH = Check(_path, "a path (or empty)", "./output/rec/x/")
DEVICE = Check(_device, "cpu, gpu or gpu:N (xpu, npu, mlu, gcu likewise)", "gpu:0")
AMP_LEVEL = Check(_one_of("O1", "O2"), "O1 or O2", "O1")
AMP_DTYPE = Check(_one_of("float16", "bfloat16"), "float16 or bfloat16", "bfloat16")
OP_NAMES = Check(_names, "a list of Paddle operator names", "[matmul_v2,elementwise_add]")
POSITIVE_NUMBER = Check(_number(0, low_open=True), "a positive number", "1024.0")
RANKS = Check(_ranks, "a rank or ranks separated by commas", "0,1")
REPLICAS = Check(_auto_or_positive, "auto or a positive integer", "2")
EVAL_BATCH_STEP = Check(_eval_batch_step, "[start, every] (integers) or one positive integer", "[0,2000]")
# the keys of the other sections the engine reads; Global's are ppocr.settings.GlobalSettings
KEYS = {
    **{f"{mode}.loader.batch_size_per_card": POSITIVE for mode in ("Train", "Eval")},
    **{f"{mode}.loader.num_workers": Check(_integer(0), "an integer >= 0", "4") for mode in ("Train", "Eval")},
    **{f"{mode}.loader.{key}": BOOL for mode in ("Train", "Eval") for key in ("shuffle", "drop_last", "use_shared_memory")},
    "Optimizer.lr.learning_rate": Check(_number(0, low_open=True), "a positive number", "0.0005"),
    "Optimizer.lr.warmup_epoch": Check(_number(0), "a number >= 0", "1"),
    "Optimizer.lr.values": Check(_list_of(_number(0, low_open=True)), "a list of positive numbers", "[0.001,0.0001]"),
    "Optimizer.lr.decay_epochs": Check(_list_of(_number(0)), "a list of numbers >= 0", "[3,4,5]"),
    "Optimizer.lr.max_lr": Check(_number(0, low_open=True), "a positive number", "0.0007"),
    **{f"Optimizer.lr.{key}": Check(_number(0), "a number >= 0", example)
       for key, example in (("end_lr", "0.0"), ("start_lr", "0.00001"), ("min_lr", "0.00000001"))},
    "Optimizer.lr.gamma": Check(_number(0, 1, low_open=True), "a number in (0, 1)", "0.1"),
    "Optimizer.lr.power": Check(_number(0, low_open=True), "a positive number", "1.0"),
    **{f"Optimizer.lr.{key}": Check(_number(0, low_open=True), "a positive number of epochs", example)
       for key, example in (("step_size", "200"), ("cycle", "10"))},
    "Optimizer.lr.milestones": Check(_list_of(_number(0)), "a list of numbers >= 0 (epochs)", "[12,15]"),
    "Optimizer.lr.warmup_steps": Check(_integer(0), "an integer >= 0 (steps)", "5000"),
    "Optimizer.lr.last_epoch": Check(_integer(-1), "an integer >= -1 (the step before the first)", "-1"),
    "Optimizer.rho": Check(_number(0, 1), "a number in [0, 1)", "0.95"),
    "Optimizer.epsilon": Check(_number(0, low_open=True), "a positive number", "0.000001"),
    "Optimizer.momentum": Check(_number(0, 1), "a number in [0, 1)", "0.9"),
    "Optimizer.beta1": Check(_number(0, 1), "a number in [0, 1)", "0.9"),
    "Optimizer.beta2": Check(_number(0, 1), "a number in [0, 1)", "0.999"),
    "Optimizer.clip_norm": Check(_number(0, low_open=True), "a positive number", "5"),
    "Optimizer.regularizer.factor": Check(_number(0), "a number >= 0", "0.00004"),
}


# Keys the engine itself reads, by section: a config file may hold only these, and an override may add
# one even when the config lacks it. Sections with a ``name`` (a model stage, a dataset, a data op, the
# optimizer...) belong to a component whose registry checks its options, so they are not listed here;
# Global's keys are ppocr.settings'.
ENGINE_KEYS = {
    # wandb: the W&B run's options (ppocr.training.dashboards); profiler_options: the reference's -p
    "": {*SECTIONS, "wandb", "profiler_options"},
    "Architecture": {"model_type", "algorithm", "in_channels", "Transform", "Backbone", "Neck", "Head"},
    **{mode: {"dataset", "loader"} for mode in ("Train", "Eval")},
    **{f"{mode}.loader": {"batch_size_per_card", "num_workers", "shuffle", "drop_last", "use_shared_memory"}
       for mode in ("Train", "Eval")},
}


def engine_keys(section):
    """The keys the engine reads in ``section`` ('Global', 'Train.loader', '' for the top level);
    None when the section is not the engine's (a component's options, checked by its registry)."""
    if section == "Global":
        from ppocr import settings

        return settings.keys()
    return ENGINE_KEYS.get(section)


def all_checks():
    """{'Section.key': Check} of every value the engine types, Global's included."""
    from ppocr import settings

    return {**settings.checks(), **KEYS}


def check_config(config):
    """Check (and normalise, e.g. '1e-3' -> 0.001) the typed values present in ``config``; returns
    ``config``. A missing or empty value is left to its default (``GlobalSettings`` for Global's).

    Example::

        check_config({"Global": {"epoch_num": "ten"}})
        # UserError: Global.epoch_num must be a positive integer, got 'ten': ... -o Global.epoch_num=10
    """
    for section in SECTIONS:
        if config.get(section) is not None and not isinstance(config[section], dict):
            raise UserError(f"config section {section} must be a mapping of keys, got {config[section]!r}")
    for dotted, check in all_checks().items():
        *parents, key = dotted.split(".")
        node = config
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and node.get(key) is not None:
            node[key] = check.apply(dotted, node[key])
    return config


def unknown_keys(config):
    """``[(section, key, known keys)]`` of the keys of the engine's own sections (top level, Global,
    Architecture, Train/Eval and their loaders) that the engine neither reads nor knows from the
    reference configs."""
    found = []
    for section in dict.fromkeys(["Global", *ENGINE_KEYS]):
        node = config
        for part in filter(None, section.split(".")):
            node = node.get(part) if isinstance(node, dict) else None
        known = engine_keys(section)
        if isinstance(node, dict) and known is not None:
            found += [(section, key, known) for key in node if key not in known]
    return found

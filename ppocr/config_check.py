"""The config values the engine reads itself, checked once when a tool starts, so that a wrong one
is a one-line error naming the key, not a traceback from the middle of training; and the keys the
engine knows in its own sections, so that a misspelt one is refused. The kinds of value are
``ppocr.config_types``; Global's keys are typed in ``ppocr.global_settings``.

The options of a component (``Architecture.Backbone.scale``, a data op's ``image_shape``) belong
to the component: its registry checks its name and option names, the component their values.
"""
from ppocr import global_settings
from ppocr.config_types import BOOL, POSITIVE, Check, integer, list_of, number
from ppocr.errors import UserError

SECTIONS = ("Global", "Optimizer", "Architecture", "Loss", "PostProcess", "Metric", "Train", "Eval")


# the keys of the other sections the engine reads; Global's are ppocr.global_settings.GlobalSettings
KEYS = {
    **{f"{mode}.loader.batch_size_per_card": POSITIVE for mode in ("Train", "Eval")},
    **{f"{mode}.loader.num_workers": Check(integer(0), "an integer >= 0", "4") for mode in ("Train", "Eval")},
    **{f"{mode}.loader.{key}": BOOL for mode in ("Train", "Eval") for key in ("shuffle", "drop_last", "use_shared_memory")},
    "Optimizer.lr.learning_rate": Check(number(0, low_open=True), "a positive number", "0.0005"),
    "Optimizer.lr.warmup_epoch": Check(number(0), "a number >= 0", "1"),
    "Optimizer.lr.values": Check(list_of(number(0, low_open=True)), "a list of positive numbers", "[0.001,0.0001]"),
    "Optimizer.lr.decay_epochs": Check(list_of(number(0)), "a list of numbers >= 0", "[3,4,5]"),
    "Optimizer.lr.max_lr": Check(number(0, low_open=True), "a positive number", "0.0007"),
    **{f"Optimizer.lr.{key}": Check(number(0), "a number >= 0", example)
       for key, example in (("end_lr", "0.0"), ("start_lr", "0.00001"), ("min_lr", "0.00000001"))},
    "Optimizer.lr.gamma": Check(number(0, 1, low_open=True), "a number in (0, 1)", "0.1"),
    "Optimizer.lr.power": Check(number(0, low_open=True), "a positive number", "1.0"),
    **{f"Optimizer.lr.{key}": Check(number(0, low_open=True), "a positive number of epochs", example)
       for key, example in (("step_size", "200"), ("cycle", "10"))},
    "Optimizer.lr.milestones": Check(list_of(number(0)), "a list of numbers >= 0 (epochs)", "[12,15]"),
    "Optimizer.lr.warmup_steps": Check(integer(0), "an integer >= 0 (steps)", "5000"),
    "Optimizer.lr.last_epoch": Check(integer(-1), "an integer >= -1 (the step before the first)", "-1"),
    "Optimizer.rho": Check(number(0, 1), "a number in [0, 1)", "0.95"),
    "Optimizer.epsilon": Check(number(0, low_open=True), "a positive number", "0.000001"),
    "Optimizer.momentum": Check(number(0, 1), "a number in [0, 1)", "0.9"),
    "Optimizer.beta1": Check(number(0, 1), "a number in [0, 1)", "0.9"),
    "Optimizer.beta2": Check(number(0, 1), "a number in [0, 1)", "0.999"),
    "Optimizer.clip_norm": Check(number(0, low_open=True), "a positive number", "5"),
    "Optimizer.regularizer.factor": Check(number(0), "a number >= 0", "0.00004"),
}


# Keys the engine itself reads, by section: a config file may hold only these, and an override may add
# one even when the config lacks it. Sections with a ``name`` (a model stage, a dataset, a data op, the
# optimizer...) belong to a component whose registry checks its options, so they are not listed here;
# Global's keys are ppocr.global_settings'.
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
        return global_settings.keys()
    return ENGINE_KEYS.get(section)


def all_checks():
    """{'Section.key': Check} of every value the engine types, Global's included."""
    return {**global_settings.checks(), **KEYS}


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

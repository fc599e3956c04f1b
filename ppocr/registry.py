"""Name -> class registries: every configurable component registers under its YAML name."""
import difflib
import inspect

from ppocr.errors import UserError


class UnknownName(UserError, KeyError):
    """A name no component of that kind registered: a user's typo (a KeyError too, for old callers)."""

    def __str__(self):
        return str(self.args[0])  # KeyError would quote the whole message


class Registry:
    """A named table of classes filled by a decorator.

    Example::

        BACKBONES = Registry("backbone")

        @BACKBONES.register()
        class ResNet(paddle.nn.Layer): ...

        BACKBONES.build({"name": "ResNet", "layers": 34}, in_channels=3)
    """

    def __init__(self, kind):
        self.kind = kind
        self._classes = {}

    def register(self, name=None):
        def wrap(cls):
            key = name or cls.__name__
            if key in self._classes and self._classes[key] is not cls:
                raise KeyError(f"{self.kind} {key!r} is registered twice")
            self._classes[key] = cls
            return cls

        return wrap

    def names(self):
        return sorted(self._classes)

    def get(self, name):
        if name not in self._classes:
            raise UnknownName(
                f"unknown {self.kind} {name!r}; registered {self.kind} names: "
                f"{', '.join(self.names())} (fix the name in the config)"
            )
        return self._classes[name]

    def __contains__(self, name):
        return name in self._classes

    def build(self, cfg, context=None, **extra):
        """Instantiate from a config section ``{'name': ..., **options}``.

        ``extra`` are arguments the builder always passes (``in_channels``); ``context`` are
        things the builder knows (the charset, the number of epochs) and passes only to the
        components whose ``__init__`` names them. An option the component does not take is a
        one-line error naming the component, the option and the accepted ones.
        """
        if not isinstance(cfg, dict) or "name" not in cfg:
            raise UserError(f"a {self.kind} section needs a 'name' key, got {cfg!r}")
        name = cfg["name"]
        cls = self.get(name)
        ignored = REFERENCE_ONLY_OPTIONS.get((self.kind, name), set())
        options = {k: v for k, v in cfg.items() if k != "name" and k not in ignored}
        try:
            params = inspect.signature(cls).parameters
        except (TypeError, ValueError):  # no inspectable signature (a builtin): let the call decide
            return cls(**options, **extra)
        if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
            given_by_builder = set(extra) | set(context or {})
            check_options(self.kind, name, options, [k for k, p in params.items() if k not in given_by_builder
                                                     and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)])
        kwargs = {**options, **extra, **{k: v for k, v in (context or {}).items() if k in params}}
        try:
            inspect.signature(cls).bind(**kwargs)
        except TypeError as e:  # a required option missing
            raise UserError(f"{self.kind} {name}: {e}; check its options in the config") from None
        return cls(**kwargs)


def check_options(kind, name, given, accepted):
    """A one-line UserError for the first of ``given`` that is not in ``accepted``."""
    unknown = sorted(set(given) - set(accepted))
    if unknown:
        accepted = sorted(accepted)
        close = difflib.get_close_matches(unknown[0], accepted, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise UserError(f"{kind} {name} has no option {unknown[0]!r}{hint}; its options: "
                        f"{', '.join(accepted) or 'none'} (fix or remove it in the config)")


# Options the reference release's configs carry that no component here reads: dropped by
# ``Registry.build`` (the reference configs must load unchanged), every other unknown option
# is an error. Keyed by (registry kind, component name).
REFERENCE_ONLY_OPTIONS = {
    # the reference merged Global's infer_mode and character_dict_path into every op; its
    # recognition resize always took the fixed-width padded path with these configs
    ("data op", "RecResizeImg"): {"infer_mode", "eval_mode", "character_dict_path"},
}


TRANSFORMS = Registry("transform")
BACKBONES = Registry("backbone")
NECKS = Registry("neck")
HEADS = Registry("head")
LOSSES = Registry("loss")
POSTPROCESS = Registry("postprocess")
METRICS = Registry("metric")
DATASETS = Registry("dataset")
DATA_OPS = Registry("data op")
OPTIMIZERS = Registry("optimizer")
LR_SCHEDULES = Registry("lr schedule")
REGULARIZERS = Registry("regularizer")
CHARSETS = Registry("charset")

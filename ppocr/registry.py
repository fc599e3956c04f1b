"""Name -> class registries: every configurable component registers under its YAML name."""
import difflib
import inspect

from ppocr.errors import UserError


class UnknownName(UserError):
    """A name no component of that kind registered: a user's typo; the message lists the names there are."""


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
        """Decorator adding a class (or factory function) under ``name`` (default: its own name).

        A constructor taking ``**kwargs`` is refused: a misspelt option would vanish into it
        instead of being reported against the signature.
        """

        def wrap(cls):
            key = name or cls.__name__
            if any(p.kind is p.VAR_KEYWORD for p in (_parameters(cls) or {}).values()):
                raise TypeError(f"{self.kind} {key}: a component built from a config cannot take **kwargs "
                                "(a misspelt option would vanish into them); name each option in the signature")
            if key in self._classes and self._classes[key] is not cls:
                raise KeyError(f"{self.kind} {key!r} is registered twice")
            self._classes[key] = cls
            return cls

        return wrap

    def names(self):
        return sorted(self._classes)

    def options(self, name):
        """The option names component ``name`` takes from its config section (a class may list them
        in an ``options`` tuple, as the datasets do; otherwise its signature says), plus the
        reference-only options it ignores."""
        cls = self.get(name)
        declared = getattr(cls, "options", None)
        if isinstance(declared, (tuple, list, frozenset, set)):
            taken = set(declared)
        else:
            taken = {k for k, p in (_parameters(cls) or {}).items()
                     if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        return taken | REFERENCE_ONLY_OPTIONS.get((self.kind, name), set())

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
        params = _parameters(cls)
        if params is None:  # no inspectable signature (a builtin): let the call decide
            return cls(**options, **extra)
        given_by_builder = set(extra) | set(context or {})
        check_options(self.kind, name, options, [k for k, p in params.items() if k not in given_by_builder
                                                 and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)])
        kwargs = {**options, **extra, **{k: v for k, v in (context or {}).items() if k in params}}
        try:
            inspect.signature(cls).bind(**kwargs)
        except TypeError as e:  # a required option missing
            raise UserError(f"{self.kind} {name}: {e}; check its options in the config") from None
        return cls(**kwargs)


def _parameters(cls):
    """The parameters of ``cls``'s constructor; None when it has no inspectable signature (a builtin)."""
    try:
        return inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return None


def component_options(old_name, new_name):
    """``(options of old_name, options of new_name)`` when one registry holds both components, else
    None: what a section whose ``name`` is changed may keep (``ppocr.config.apply_overrides``)."""
    for registry in ALL:
        if old_name in registry and new_name in registry:
            return registry.options(old_name), registry.options(new_name)
    return None


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
    # and Global's character_dict_path into PostProcess; the charset here reads Global's
    ("postprocess", "CTCLabelDecode"): {"character_dict_path"},
    ("postprocess", "SPINLabelDecode"): {"character_dict_path"},
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
ALL = (TRANSFORMS, BACKBONES, NECKS, HEADS, LOSSES, POSTPROCESS, METRICS, DATASETS, DATA_OPS, OPTIMIZERS,
       LR_SCHEDULES, REGULARIZERS, CHARSETS)

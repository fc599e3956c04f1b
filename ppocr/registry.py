"""Name -> class registries: every configurable component registers under its YAML name."""
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

    def build(self, cfg, **extra):
        """Instantiate from a config section ``{'name': ..., **kwargs}`` plus ``extra``."""
        if not isinstance(cfg, dict) or "name" not in cfg:
            raise ValueError(f"a {self.kind} section needs a 'name' key, got {cfg!r}")
        kwargs = {k: v for k, v in cfg.items() if k != "name"}
        kwargs.update(extra)
        cls = self.get(cfg["name"])
        try:
            inspect.signature(cls).bind(**kwargs)
        except TypeError as e:  # an option the component does not have, or a required one missing
            raise UserError(f"{self.kind} {cfg['name']}: {e}; check its options in the config") from None
        except ValueError:
            pass  # no inspectable signature (a builtin): let the call decide
        return cls(**kwargs)


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

"""Name -> class registries: every configurable component registers under its YAML name."""


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
            raise KeyError(
                f"unknown {self.kind} {name!r}; registered {self.kind} names: "
                f"{', '.join(self.names())}"
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
        return self.get(cfg["name"])(**kwargs)


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

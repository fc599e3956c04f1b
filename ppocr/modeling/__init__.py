"""The model's stages; importing this package registers every stage with its registry
(``ppocr.trained_model.from_config.build_model`` builds a config's model from them)."""
from ppocr.modeling import backbones, heads, necks, transforms  # noqa: F401  (registration)
from ppocr.modeling.base_model import BaseModel

__all__ = ["BaseModel"]

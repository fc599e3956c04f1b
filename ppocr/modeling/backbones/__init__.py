"""Stage modules; each registers itself on import."""
from ppocr.modeling.backbones import (  # noqa: F401
    rec_mobilenet_v3,
    rec_resnet_32,  # noqa: F401
    rec_resnet_vd,
)

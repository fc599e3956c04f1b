"""Stage modules; each registers itself on import."""
from ppocr.modeling.backbones import rec_resnet_32  # noqa: F401
from ppocr.modeling.backbones import rec_mobilenet_v3, rec_resnet_vd  # noqa: F401

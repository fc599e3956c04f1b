"""Transform -> Backbone -> Neck -> Head, each stage fed the previous stage's ``out_channels``."""
from paddle import nn

from ppocr.registry import BACKBONES, HEADS, NECKS, TRANSFORMS


class BaseModel(nn.Layer):
    """A recogniser: optional rectifier, backbone, optional sequence neck, head.

    ``forward(images, targets=None)``: in training the head may read the batch's targets
    (teacher forcing); in eval mode the head returns per-step class probabilities. In training,
    with ``targets["fiducials"]`` (``FiducialTargets``) and a rectifier that predicts control
    points (TPS), the output is ``{"head": the head's output, "fiducials": [N, F, 2]}`` for the
    loss's ``fiducial_weight``.
    """

    def __init__(self, arch, charset):
        super().__init__()
        channels = arch.get("in_channels", 3)
        self.transform = None
        if arch.get("Transform"):
            self.transform = TRANSFORMS.build(arch["Transform"], in_channels=channels)
            channels = self.transform.out_channels
        self.backbone = BACKBONES.build(arch["Backbone"], in_channels=channels)
        channels = self.backbone.out_channels
        self.neck = None
        if arch.get("Neck"):
            self.neck = NECKS.build(arch["Neck"], in_channels=channels)
            channels = self.neck.out_channels
        # the class layout, special tokens and label width are the charset's
        self.head = HEADS.build(arch["Head"], in_channels=channels, charset=charset)

    def forward(self, images, targets=None):
        x, fiducials = images, None
        if self.transform is not None:
            wanted = self.training and targets and "fiducials" in targets
            if wanted and getattr(self.transform, "predicts_fiducials", False):
                x, fiducials = self.transform(x, return_fiducials=True)
            else:
                x = self.transform(x)
        x = self.backbone(x)
        if self.neck is not None:
            x = self.neck(x)
        out = self.head(x, targets=targets)
        return out if fiducials is None else {"head": out, "fiducials": fiducials}


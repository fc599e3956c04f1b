"""CTC loss of the STAR-Net recogniser.

Graves et al., "Connectionist Temporal Classification: Labelling Unsegmented Sequence Data
with Recurrent Neural Networks", ICML 2006; used by STAR-Net (Liu et al., BMVC 2016).
"""
import paddle
import paddle.nn.functional as F
from paddle import nn

from ppocr.errors import UserError
from ppocr.registry import LOSSES


@LOSSES.register()
class CTCLoss(nn.Layer):
    """Negative log-likelihood of each label under CTC, averaged over the batch.

    ``predicts``: the head's training logits [N, T, C] (softmax is applied inside the CTC
    op); ``batch['label']``: [N, max_text_length] ids padded with the charset's blank;
    ``batch['length']``: [N] label lengths. The per-image loss is a sum over time steps
    (not divided by the label length), as in the reference.

    ``use_focal_loss`` weights each image's loss by (1 - exp(-loss))^2, so confidently
    right images count less.

    ``fiducial_weight`` (default 0: off) adds that times the rectifier's fiducial loss
    (``fiducial_loss``) when the model returns its control points, i.e. when the batch carries
    ``fiducials`` (the ``FiducialTargets`` op) and the rectifier is a TPS.

    Example::

        loss = CTCLoss(CTCCharset())
        loss(logits, {"label": label, "length": length})["loss"]   # scalar Tensor
    """

    def __init__(self, charset, use_focal_loss=False, fiducial_weight=0.0):
        super().__init__()
        self.loss_func = nn.CTCLoss(blank=charset.blank, reduction="none")
        self.use_focal_loss = use_focal_loss
        if isinstance(fiducial_weight, bool) or not isinstance(fiducial_weight, (int, float)) or fiducial_weight < 0:
            raise UserError(f"Loss.fiducial_weight must be a number >= 0 (0: no fiducial loss), "
                            f"got {fiducial_weight!r}")
        self.fiducial_weight = float(fiducial_weight)

    def forward(self, predicts, batch):
        if isinstance(predicts, dict) and "fiducials" in predicts:
            out = self.forward(predicts["head"], batch)
            if self.fiducial_weight > 0:
                out["ctc_loss"] = out["loss"]
                out["fiducial_loss"] = fiducial_loss(predicts["fiducials"], batch["fiducials"], batch["fiducial_mask"])
                out["loss"] = out["loss"] + self.fiducial_weight * out["fiducial_loss"]
            return out
        if isinstance(predicts, (list, tuple)):
            predicts = predicts[-1]
        if isinstance(batch, dict):
            label, length = batch["label"], batch["length"]
        else:  # the reference's positional batch [image, label, length]
            label, length = batch[1], batch[2]
        if predicts.ndim != 3:
            raise ValueError(f"CTCLoss expects [N, T, C] logits, got shape {list(predicts.shape)}")
        num_steps, batch_size = predicts.shape[1], predicts.shape[0]
        logits = predicts.transpose([1, 0, 2])  # the CTC op is time-major
        input_lengths = paddle.full(shape=[batch_size], fill_value=num_steps, dtype="int64")
        loss = self.loss_func(logits, label.astype("int32"), input_lengths, length.astype("int64"))
        if self.use_focal_loss:
            loss = loss * paddle.square(1.0 - paddle.exp(-loss))
        return {"loss": loss.mean()}


def fiducial_loss(predicted, target, mask):
    """Smooth-L1 distance of the predicted control points to the true ones, averaged over the
    points and the samples that have them (``mask`` 1; 0 when no sample of the batch has any).

    ``predicted``, ``target``: [N, F, 2] in [-1, 1]; ``mask``: [N]. Smooth L1 (Girshick, "Fast
    R-CNN", ICCV 2015) is quadratic below 0.1 (a twentieth of the image) and linear beyond, so
    a far-off point of an odd sample does not swamp the rest.
    """
    per_point = F.smooth_l1_loss(predicted, target.astype(predicted.dtype), reduction="none", delta=0.1) / 0.1
    per_sample = per_point.mean(axis=[1, 2])
    mask = mask.astype(per_sample.dtype).reshape([-1])
    return (per_sample * mask).sum() / paddle.clip(mask.sum(), min=1.0)

"""CTC loss of the STAR-Net recogniser.

Graves et al., "Connectionist Temporal Classification: Labelling Unsegmented Sequence Data
with Recurrent Neural Networks", ICML 2006; used by STAR-Net (Liu et al., BMVC 2016).
"""
import paddle
from paddle import nn

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

    Example::

        loss = CTCLoss(CTCCharset())
        loss(logits, {"label": label, "length": length})["loss"]   # scalar Tensor
    """

    def __init__(self, charset, use_focal_loss=False):
        super().__init__()
        self.loss_func = nn.CTCLoss(blank=charset.blank, reduction="none")
        self.use_focal_loss = use_focal_loss

    def forward(self, predicts, batch):
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

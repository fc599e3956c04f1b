"""CTC head: per-time-step class scores for connectionist temporal classification.

Graves et al., "Connectionist Temporal Classification", ICML 2006; STAR-Net (Liu et al.,
BMVC 2016, Sec. 3.4) transcribes its BiLSTM features with a CTC output layer. Names
(``fc``, or ``fc1``/``fc2`` with ``mid_channels``) follow the reference release.
"""
import math

import paddle
import paddle.nn.functional as F
from paddle import nn

from ppocr.registry import HEADS


def _fc(in_channels, out_channels, l2_decay):
    """Linear layer initialised U(-1/sqrt(in), 1/sqrt(in)), both parameters L2-decayed."""
    bound = 1.0 / math.sqrt(in_channels)

    def attr():
        return paddle.ParamAttr(
            regularizer=paddle.regularizer.L2Decay(coeff=l2_decay),
            initializer=nn.initializer.Uniform(low=-bound, high=bound),
        )

    return nn.Linear(in_channels, out_channels, weight_attr=attr(), bias_attr=attr())


@HEADS.register()
class CTCHead(nn.Layer):
    """[N, T, in_channels] -> [N, T, out_channels]: logits in training, softmax in eval.

    Args:
        in_channels: feature width of the neck.
        charset: the run's charset; its class count (blank included) is the output width.
        fc_decay: L2 decay of the fc parameters; it replaces the optimizer's regularizer
            for them, as in the reference.
        mid_channels: if given, two fc layers with this width between them.

    Example::

        head = CTCHead(in_channels=512, charset=CTCCharset(), fc_decay=0)
        head.eval()
        probs = head(paddle.rand([2, 25, 512]))   # [2, 25, 37], rows sum to 1
    """

    charset_scheme = "ctc"  # the layout of the run's charset: blank at 0 (ppocr.charset.build_charset)

    def __init__(self, in_channels, charset, fc_decay=0.0004, mid_channels=None):
        super().__init__()
        out_channels = charset.num_classes
        self.mid_channels = mid_channels
        if mid_channels is None:
            self.fc = _fc(in_channels, out_channels, fc_decay)
        else:
            self.fc1 = _fc(in_channels, mid_channels, fc_decay)
            self.fc2 = _fc(mid_channels, out_channels, fc_decay)
        self.out_channels = out_channels

    def forward(self, x, targets=None):
        if self.mid_channels is None:
            logits = self.fc(x)
        else:
            logits = self.fc2(self.fc1(x))
        if self.training:
            return logits
        return F.softmax(logits, axis=2)

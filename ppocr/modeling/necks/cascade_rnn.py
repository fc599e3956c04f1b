"""Cascaded bidirectional LSTMs, the sequence encoder of SPIN.

SPIN (Zhang et al., "SPIN: Structure-Preserving Inner Offset Network for Scene Text
Recognition", AAAI 2021) encodes the backbone's columns with two stacked BiLSTMs, each
followed by a linear projection (``with_linear``). Used by
``SequenceEncoder(encoder_type='cascadernn')``, which turns the feature map into a sequence
first. Sub-layer names (``encoder.<i>.rnn``, ``encoder.<i>.linear``) follow the reference
release so its trained weights load unchanged.
"""
from paddle import nn


class BidirectionalLSTM(nn.Layer):
    """One bidirectional LSTM layer, optionally projected to ``output_size`` channels."""

    def __init__(self, input_size, hidden_size, output_size=None, with_linear=False):
        super().__init__()
        self.rnn = nn.LSTM(input_size, hidden_size, num_layers=1, direction="bidirectional", time_major=False)
        self.linear = nn.Linear(2 * hidden_size, output_size) if with_linear else None
        self.out_channels = output_size if with_linear else 2 * hidden_size

    def forward(self, x):
        x, _ = self.rnn(x)
        return x if self.linear is None else self.linear(x)


class CascadeRNNEncoder(nn.Layer):
    """[N, T, in_channels] -> [N, T, out_channels[-1]] through ``len(out_channels)`` BiLSTMs.

    ``out_channels`` lists the width after each layer (a single int means one layer). Without
    ``with_linear`` every layer outputs ``2 * hidden_size`` channels, and ``out_channels``
    only sets the number of layers.

    Example::

        enc = CascadeRNNEncoder(512, hidden_size=256, out_channels=[256, 512], with_linear=True)
        enc(paddle.zeros([2, 26, 512])).shape   # [2, 26, 512]
    """

    def __init__(self, in_channels, hidden_size, out_channels, with_linear=False, num_layers=None):
        super().__init__()
        if isinstance(out_channels, int):
            out_channels = [out_channels]
        out_channels = list(out_channels)
        if num_layers is not None and num_layers != len(out_channels):
            raise ValueError(
                f"cascadernn: num_layers={num_layers} but out_channels has {len(out_channels)} "
                f"entries ({out_channels}); give one output width per layer"
            )
        layers = []
        width = in_channels
        for size in out_channels:
            layer = BidirectionalLSTM(width, hidden_size, output_size=size, with_linear=with_linear)
            layers.append(layer)
            width = layer.out_channels
        self.encoder = nn.LayerList(layers)
        self.out_channels = width

    def forward(self, x):
        for layer in self.encoder:
            x = layer(x)
        return x

"""A network of three layers (convolution, batch norm, linear) for the step and replica tests:
small enough to step in milliseconds, with running statistics to average."""
from paddle import nn


class SmallNet(nn.Layer):
    """A recogniser's calling convention: ``net(images, targets)`` in training, ``net(images)`` otherwise."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2D(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2D(4)
        self.fc = nn.Linear(4, 5)

    def forward(self, x, targets=None):
        return self.fc(self.bn(self.conv(x)).mean(axis=[2, 3]))

"""Stage modules; each registers itself on import."""
from ppocr.modeling.necks import rnn  # noqa: F401

"""Stage modules; each registers itself on import."""
from ppocr.modeling.heads import spin_att_head  # noqa: F401
from ppocr.modeling.heads import ctc_head  # noqa: F401

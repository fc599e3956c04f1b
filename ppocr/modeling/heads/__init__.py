"""Stage modules; each registers itself on import."""
from ppocr.modeling.heads import (
    ctc_head,  # noqa: F401
    spin_att_head,  # noqa: F401
)

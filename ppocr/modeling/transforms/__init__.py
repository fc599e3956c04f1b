"""Stage modules; each registers itself on import."""
from ppocr.modeling.transforms import (
    gaspin,  # noqa: F401
    tps,  # noqa: F401
)

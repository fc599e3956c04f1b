"""ppocr: train, evaluate, export and serve STAR-Net and SPIN scene-text recognisers on PaddlePaddle."""
import tqdm as _tqdm

from ppocr.config import load_config, merge_config
from ppocr.modeling import build_model

__all__ = ["build_model", "load_config", "merge_config"]
__version__ = "0.1.0"

# tqdm's monitor thread can hold a lock at the moment DataLoader workers fork, which deadlocks
# them; the bars refresh on their own updates anyway
_tqdm.tqdm.monitor_interval = 0

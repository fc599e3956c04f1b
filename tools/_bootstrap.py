"""Puts the repository root on ``sys.path``, so ``python tools/<tool>.py`` imports this checkout's
``ppocr`` without installing it, and gives the tool every core it may use (before Paddle loads and
pins itself to one thread; ``OMP_NUM_THREADS`` overrides) and, on AMD processors, MKL's fast
kernels (ppocr/utils/cpu.py; ``MKL_DEBUG_CPU_TYPE`` overrides), without Paddle's banner about the
thread count (ppocr/utils/paddle_banner.py) and Paddle's other noise (ppocr/utils/paddle_noise.py, at
``import ppocr``). Each tool does
``import _bootstrap  # noqa: F401``: the folder of the script being run is on ``sys.path``, the
package ``tools`` is not.
"""
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from ppocr.utils.cpu import prefer_fast_mkl, use_all_cores  # noqa: E402
from ppocr.utils.paddle_banner import hide_paddle_banner  # noqa: E402

use_all_cores()
prefer_fast_mkl()
hide_paddle_banner()  # Paddle's "PLEASE USE OMP_NUM_THREADS WISELY" is for its own launcher's defaults

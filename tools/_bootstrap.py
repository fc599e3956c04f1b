"""Puts the repository root on ``sys.path``, so ``python tools/<tool>.py`` imports this checkout's
``ppocr`` without installing it, and starts the process as every tool starts
(``ppocr.cli.console_scripts.start_process``: every core for the compute threads before Paddle
loads, MKL's fast kernels on AMD processors, no Paddle banner about the thread count; Paddle's other
noise is held back at ``import ppocr``, ppocr/utils/paddle_noise.py). Each tool does
``import _bootstrap  # noqa: F401``: the folder of the script being run is on ``sys.path``, the
package ``tools`` is not.
"""
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from ppocr.cli.console_scripts import start_process  # noqa: E402

start_process()

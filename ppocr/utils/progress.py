"""Progress bars for long work (training epochs, evaluation, data generation).

``ProgressBar`` is tqdm without its monitor thread: that thread can hold a lock at the moment
DataLoader workers fork, and the workers then deadlock. The bars refresh on their own updates
anyway. A subclass keeps tqdm itself untouched for the rest of the program.

Example::

    for batch in ProgressBar(loader, desc="eval", leave=False):
        ...
"""
import contextlib
import logging

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm


class ProgressBar(tqdm):
    monitor_interval = 0


@contextlib.contextmanager
def logging_above_bars(logger_name="ppocr"):
    """Log lines written above the progress bars instead of onto a bar's line (tqdm's redirect of
    the logger's console handlers, for as long as the block runs)."""
    with logging_redirect_tqdm(loggers=[logging.getLogger(logger_name)], tqdm_class=ProgressBar):
        yield

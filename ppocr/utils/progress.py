"""Progress bars for long work (training epochs, evaluation, data generation).

``ProgressBar`` is tqdm without its monitor thread: that thread can hold a lock at the moment
DataLoader workers fork, and the workers then deadlock. The bars refresh on their own updates
anyway. A subclass keeps tqdm itself untouched for the rest of the program.

Example::

    for batch in ProgressBar(loader, desc="eval", leave=False):
        ...
"""
from tqdm import tqdm


class ProgressBar(tqdm):
    monitor_interval = 0

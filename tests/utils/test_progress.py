"""ppocr/utils/progress.py: the project's progress bars start no monitor thread (a thread holding a
lock when DataLoader workers fork deadlocks them) and leave tqdm itself as it was."""
import threading

import tqdm

from ppocr.utils.progress import ProgressBar


def test_no_monitor_thread_and_tqdm_untouched():
    before = {t.ident for t in threading.enumerate()}
    with ProgressBar(total=3, disable=True) as bar:
        bar.update(3)
    started = [t for t in threading.enumerate() if t.ident not in before]
    assert not started and ProgressBar.monitor is None
    assert tqdm.tqdm.monitor_interval == 10  # tqdm's own default, for the rest of the program

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


def test_log_lines_go_above_the_bar_not_onto_its_line(capsys):
    import logging
    import sys

    from ppocr.utils.progress import logging_above_bars

    logger = logging.getLogger("ppocr.test_progress")
    handler = logging.StreamHandler(sys.stderr)  # a console handler, as the tools' logger has
    logger.addHandler(handler)
    try:
        with logging_above_bars("ppocr.test_progress"), ProgressBar(total=2, file=sys.stderr, ncols=60,
                                                                     mininterval=0) as bar:
            bar.update(1)
            logger.warning("line 2 skipped")
            bar.update(1)
    finally:
        logger.removeHandler(handler)
    err = capsys.readouterr().err
    # the bar was cleared before the message, which starts a line of its own, then redrawn
    before = err[: err.index("line 2 skipped")]
    assert before.endswith("\r") and "1/2" in before and "2/2" in err[err.index("line 2 skipped"):]
    assert logger.handlers == []  # the redirect is undone

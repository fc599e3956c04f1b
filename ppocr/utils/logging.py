"""Logging: rank 0 writes INFO to the console (and a file); other ranks only warnings and errors.

One format for every line: the records of other libraries (uvicorn, python-multipart, Paddle) reach
the root logger, whose console handler (on stderr) is given the same format, Paddle's noise left out
(``paddle_noise.LogNoise``); Paddle had put a handler of its own format there
(``paddle/distributed/utils/log_utils.py``), which is replaced.
"""
import logging
import os
import sys

from ppocr.utils.paddle_noise import LogNoise

FORMAT = "[%(asctime)s] %(name)s %(levelname)s: %(message)s"


def get_logger(name="ppocr", log_file=None, rank=0, log_ranks=(0,)):
    """Configure and return the ``ppocr`` logger (idempotent; handlers are replaced).

    On ranks not in ``log_ranks`` (``Global.log_ranks``) only warnings, errors and records logged
    with ``extra={"all_ranks": True}`` (a process's one-line summary) reach the console; the log
    file is rank 0's.
    """
    logger = logging.getLogger(name)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter(FORMAT, datefmt="%Y/%m/%d %H:%M:%S")
    console = logging.StreamHandler(stream=sys.stdout)
    console.setFormatter(formatter)
    logger.addHandler(console)
    if log_file and rank == 0:
        os.makedirs(os.path.dirname(os.path.abspath(log_file)), exist_ok=True)
        file_handler = logging.FileHandler(log_file, mode="a", encoding="utf-8")
        file_handler.setFormatter(formatter)
        logger.addHandler(file_handler)
    logger.setLevel(logging.INFO)
    if rank not in log_ranks:
        console.addFilter(_AllRanksOnly())
    logger.propagate = False
    _adopt_root_logger(formatter)
    return logger


def _adopt_root_logger(formatter):
    """The root logger's console handler in this format; test frameworks' handlers (subclasses) are kept."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if type(h) is logging.StreamHandler]:
        root.removeHandler(handler)
    console = logging.StreamHandler(stream=sys.stderr)
    console.setFormatter(formatter)
    console.addFilter(LogNoise())
    root.addHandler(console)  # the root's level stays as it is: what reached the console still does


class _AllRanksOnly(logging.Filter):
    def filter(self, record):
        return record.levelno >= logging.WARNING or getattr(record, "all_ranks", False)

"""Paddle's start-up banner about ``OMP_NUM_THREADS``, kept out of the tools' output.

``paddle/base/__init__.py`` (``__bootstrap__``) prints two lines to stderr when it is imported with
``OMP_NUM_THREADS`` above 1: "WARNING: OMP_NUM_THREADS set to N, not 1. The computation speed will
not be optimized if you use data parallel. ..." and "PLEASE USE OMP_NUM_THREADS WISELY.". The tools
set the variable to the cores they are given on purpose, before Paddle loads (``use_all_cores``), so
every run printed advice that does not apply to it. It is a ``print``, not ``warnings.warn``, so no
warnings filter reaches it; an environment variable would have to leave the thread count at 1.

``hide_paddle_banner()`` installs an import hook: the first import of Paddle runs with its stderr
filtered of exactly those two lines; every other line (Paddle's other warnings included) passes,
and the hook is gone after that import. Nothing here imports Paddle: a tool that never needs it
(the data tools) never loads it.

Example::

    hide_paddle_banner()   # first thing in a tool, after use_all_cores()
    import paddle          # no OMP_NUM_THREADS banner; OMP_NUM_THREADS unchanged
"""
import importlib.abc
import importlib.util
import sys

BANNER = ("WARNING: OMP_NUM_THREADS set to ", "PLEASE USE OMP_NUM_THREADS WISELY.")


class LineFilter:
    """A text stream that passes every complete line to ``stream`` except those starting with one
    of ``prefixes``; ``close()`` passes on an unfinished last line."""

    def __init__(self, stream, prefixes=BANNER):
        self.stream, self.prefixes, self.pending = stream, tuple(prefixes), ""

    def write(self, text):
        *lines, self.pending = (self.pending + text).split("\n")
        for line in lines:
            if not line.startswith(self.prefixes):
                self.stream.write(line + "\n")
        return len(text)

    def flush(self):
        self.stream.flush()

    def close(self):
        if self.pending:
            self.stream.write(self.pending)
            self.pending = ""
        self.stream.flush()

    def __getattr__(self, name):  # isatty, encoding, fileno...: the real stream's
        return getattr(self.stream, name)


class _FilteredLoader(importlib.abc.Loader):
    """Runs a module's loader with ``sys.stderr`` behind a LineFilter."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        stderr, sys.stderr = sys.stderr, LineFilter(sys.stderr)
        try:
            self.loader.exec_module(module)
        finally:
            filtered, sys.stderr = sys.stderr, stderr
            if isinstance(filtered, LineFilter):
                filtered.close()


class _BannerHook(importlib.abc.MetaPathFinder):
    """Finds ``name`` once (through the other finders) and hands back its spec with a filtered loader."""

    def __init__(self, name):
        self.name = name

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _FilteredLoader(spec.loader)
        return spec


def hide_paddle_banner(name="paddle"):
    """Filter Paddle's OMP_NUM_THREADS banner out of its first import (a no-op once it is imported)."""
    if name in sys.modules or any(isinstance(f, _BannerHook) and f.name == name for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _BannerHook(name))

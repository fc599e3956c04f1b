"""Errors caused by what a user typed or supplied; tools print them as one line, no traceback."""


class UserError(Exception):
    """A mistake in a config, a command-line value, a data file or a model file.

    The message says what was wrong, what was expected and how to fix it.
    """

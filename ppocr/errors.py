"""Errors caused by what a user typed or supplied; tools print them as one line, no traceback."""


class UserError(Exception):
    """A mistake in a config, a command-line value, a data file or a model file.

    The message says what was wrong, what was expected and how to fix it.
    """


class Interrupted(Exception):
    """Training stopped by SIGINT/SIGTERM after saving ``latest``; the message says how to resume.

    Tools exit with ``exit_code`` = 128 + the signal number (130 for SIGINT, 143 for SIGTERM), the
    shell's convention, so ``train.py && export_model.py`` does not go on with an unfinished model.
    """

    def __init__(self, message, signum):
        super().__init__(message)
        self.exit_code = 128 + int(signum)

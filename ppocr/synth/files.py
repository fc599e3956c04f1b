"""Files named the way the command line names them: folders (searched recursively), globs or
files, several in one string separated by commas."""
import glob
import os


def find_files(patterns, extensions):
    """Sorted paths of the files of ``patterns`` (a string or a list) whose names end with one of
    ``extensions`` (lower case, with the dot).

    Example::

        find_files("/usr/share/fonts,~/fonts/*.otf", (".ttf", ".otf"))
    """
    if isinstance(patterns, (str, os.PathLike)):
        patterns = [patterns]
    found = set()
    for entry in patterns:
        for part in str(entry).split(","):
            part = os.path.expanduser(part.strip())
            if not part:
                continue
            if os.path.isdir(part):
                part = os.path.join(part, "**", "*")
            found.update(p for p in glob.glob(part, recursive=True)
                         if p.lower().endswith(extensions) and os.path.isfile(p))
    return sorted(found)

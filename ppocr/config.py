"""YAML configs with ``-o Section.key=value`` overrides, read safely (never executed)."""
import copy
import difflib
import logging
import os
import re

import yaml

from ppocr.errors import UserError

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_EXPONENT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+$")


def load_config(path):
    """Read a YAML config file with ``yaml.safe_load``.

    Example::

        cfg = load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml")
        cfg["Global"]["max_text_length"]   # 25
    """
    if not path:
        raise UserError("no config file given: pass one with -c, e.g. -c configs/rec/rec_mv3_tps_bilstm_ctc.yml")
    if not os.path.isfile(path):
        bundled = os.path.join(PROJECT_ROOT, "configs", "rec", os.path.basename(path))
        if os.path.basename(path) != path or not os.path.isfile(bundled):
            raise UserError(f"config file {path!r} does not exist: check the path given to -c "
                            "(the bundled configs are in configs/rec/)")
        path = bundled  # a bare name, as in the seed's multi-GPU command, means the bundled config
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    try:
        cfg = yaml.safe_load(text)
    except yaml.constructor.ConstructorError as e:
        raise UserError(
            f"config {path!r} uses a YAML tag that is not allowed ({e.problem}); "
            "configs are data only: remove the tag"
        ) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise UserError(f"config {path!r} is not valid YAML{where}: {getattr(e, 'problem', e)}") from None
    if not isinstance(cfg, dict):
        raise UserError(f"config {path!r} must be a mapping of sections (Global, Architecture, ...), got {type(cfg).__name__}")
    return cfg


def _refuse_unknown_keys(cfg, path):
    """A key of the engine's own sections that it neither reads nor knows is a typo, as in -o."""
    from ppocr.config_check import unknown_keys

    for section, key, known in unknown_keys(cfg):
        node = cfg
        for part in filter(None, section.split(".")):
            node = node[part]
        where = section or "the top level"
        raise UserError(f"config {path!r}: {where} has no key {key!r} and the engine reads none of that name "
                        f"({_hint(key, (set(map(str, node)) - {key}) | known)}fix or remove it in the file)")


def parse_value(text):
    """A command-line value as a YAML scalar or list: '1e-3' -> 0.001, '[3, 32, 100]' -> list."""
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if isinstance(value, str) and _EXPONENT.match(value):
        return float(value)  # YAML 1.1 wants a dot in 1.0e-3; users type 1e-3
    return value


def parse_overrides(pairs):
    """['A.b=1', '+C=x', '~A.d'] -> [(['A', 'b'], 1, 'set'), (['C'], 'x', 'add'), (['A', 'd'], None, 'delete')]:
    path, value, and what to do: set an existing (or engine-read) key, add a new key on purpose (a
    leading '+'), delete a key (a leading '~', no '='); anything else without '=' is an error."""
    parsed = []
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        key = key.strip()
        mode = {"+": "add", "~": "delete"}.get(key[:1], "set")
        key = key[1:] if mode != "set" else key
        if (not sep) != (mode == "delete") or not key or any(not part for part in key.split(".")):
            raise UserError(f"malformed -o option {pair!r}: expected Section.key=value (e.g. -o Global.epoch_num=10), "
                            "+Section.key=value to add a key or ~Section.key to delete one")
        parsed.append((key.split("."), None if mode == "delete" else parse_value(value.strip()), mode))
    return parsed


def apply_overrides(cfg, pairs, notices=None):
    """Return a copy of ``cfg`` with each ``Section.key=value`` of ``pairs`` set.

    Every section on the path must exist (a typo must not create a new section). The last key
    must exist too, or be one the engine reads (``Global.seed``), or be an option of a
    component (a section with a ``name``, or a data op: its registry checks the option); a
    ``+`` in front (``+Global.my_key=1``) adds any new key on purpose, a ``~`` in front
    (``~Train.dataset.label_file_list``) deletes a key or a list item. List items are addressed
    by index: ``Train.dataset.transforms.2.RecResizeImg.image_shape``.

    A component's ``name`` changed here (``Train.dataset.name=LMDBDataSet``) drops the options of
    the previous component that the new one does not take, unless they were typed here too; each
    drop is one line appended to ``notices`` (logged as a warning when no list is given).
    """
    cfg = copy.deepcopy(cfg)
    renamed, typed = {}, set()
    for path, value, mode in parse_overrides(pairs):
        node, component = cfg, False
        for depth, key in enumerate(path[:-1]):
            component = component or isinstance(node, list)
            node = _child(node, key, path[: depth + 1])
        component = component or isinstance(node, list) or (isinstance(node, dict) and "name" in node)
        last = path[-1]
        if mode == "delete":
            _delete(node, last, path)
            continue
        typed.add(tuple(path))
        if isinstance(node, list):
            node[_index(node, last, path)] = value
        elif isinstance(node, dict):
            if last not in node and mode != "add" and not component:
                _check_new_key(node, path)
            if last == "name" and isinstance(node.get("name"), str) and tuple(path[:-1]) not in renamed:
                renamed[tuple(path[:-1])] = (node["name"], node)
            node[last] = value
        else:
            raise UserError(f"-o {'.'.join(path)}: {'.'.join(path[:-1])} is a value, not a section")
    for section, (old_name, node) in renamed.items():
        _drop_foreign_options(section, old_name, node, {p[-1] for p in typed if p[:-1] == section}, notices)
    return cfg


def _drop_foreign_options(section, old_name, node, typed, notices):
    """Options of the file's component ``old_name`` that the component now named does not take."""
    from ppocr.registry import component_options

    new_name = node.get("name")
    options = component_options(old_name, new_name) if isinstance(new_name, str) else None
    if options is None or old_name == new_name:
        return
    old_options, new_options = options
    dropped = [k for k in node if k in old_options and k not in new_options and k not in typed]
    if not dropped:
        return
    for key in dropped:
        del node[key]
    message = (f"-o {'.'.join(section)}.name={new_name}: dropped {', '.join(dropped)} of {old_name} from the config "
               f"({new_name} does not take {'it' if len(dropped) == 1 else 'them'})")
    if notices is None:
        logging.getLogger("ppocr").warning(message)
    else:
        notices.append(message)


def _delete(node, key, path):
    if isinstance(node, list):
        del node[_index(node, key, path)]
    elif isinstance(node, dict) and key in node:
        del node[key]
    else:
        known = ", ".join(map(str, node)) if isinstance(node, dict) else "none"
        raise UserError(f"-o ~{'.'.join(path)}: there is no key {key!r} to delete in "
                        f"{'.'.join(path[:-1]) or 'the top level'} (known here: {known})")


def _check_new_key(node, path):
    """A key neither in the config nor read by the engine is a typo until the user says otherwise."""
    from ppocr.config_check import engine_keys

    section, key = ".".join(path[:-1]), path[-1]
    known = engine_keys(section)
    if known is None or key in known:
        return
    where = section or "the top level"
    raise UserError(f"-o {'.'.join(path)}: {where} has no key {key!r} and the engine reads none of that name "
                    f"({_hint(key, set(map(str, node)) | known)}to add a new key on purpose, write -o +{'.'.join(path)}=...)")


def _hint(key, candidates):
    """'did you mean X? ' for the nearest of ``candidates``, else the list of them."""
    candidates = sorted(candidates)
    close = difflib.get_close_matches(key, candidates, n=3, cutoff=0.6)
    # only the near-best: 'epoch_nun' is epoch_num (0.89), not also export_onnx (0.6)
    ratios = {c: difflib.SequenceMatcher(None, key, c).ratio() for c in close}
    close = [c for c in close if ratios[c] >= max(ratios.values()) - 0.2]
    return f"did you mean {' or '.join(close)}? " if close else f"known keys here: {', '.join(candidates)}; "


def _index(node, key, path):
    if not key.lstrip("-").isdigit() or not -len(node) <= int(key) < len(node):
        raise UserError(f"-o {'.'.join(path)}: {key!r} is not an index of a list of {len(node)} items")
    return int(key)


def _child(node, key, path):
    dotted = ".".join(path)
    if isinstance(node, list):
        return node[_index(node, key, path)]
    if not isinstance(node, dict) or node.get(key) is None and key not in node:
        known = ", ".join(map(str, node)) if isinstance(node, dict) else "none"
        raise UserError(f"-o: section {dotted!r} does not exist in the config (known here: {known})")
    child = node[key]
    if child is None:
        child = node[key] = {}
    return child


def merge_config(path, overrides=None, notices=None):
    """``load_config(path)`` with ``overrides`` (a list of 'A.b=c' strings) applied (``apply_overrides``).

    A key of the engine's own sections (top level, Global, Architecture, Train/Eval and their
    loaders) that it neither reads nor knows from the reference configs is refused, as in ``-o``.
    """
    config = load_config(path)
    _refuse_unknown_keys(config, path)
    return apply_overrides(config, overrides, notices)


def dump_config(cfg, path):
    """Write ``cfg`` as YAML atomically."""
    from ppocr.utils.io import atomic_write_bytes

    atomic_write_bytes(path, yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True).encode("utf-8"))

"""doc/tools/predict_rec.md: its commands print what it shows, the one that reads PaddleOCR's
inference folder included (run as printed, with the folder PaddleOCR's export made of the shipped
weights, in its published .pdmodel format, where the command looks for it), and its table names
every flag of PaddleOCR's utility.py, each accepted."""
import json
import re

import pytest

from ppocr.cli.predict_flags import build_parser
from tests.helpers.doc_blocks import REPO, clone_view, console_examples, read_page, run_command, same_output

PAGE = "doc/tools/predict_rec.md"
FOLDER = REPO / "tests" / "fixtures" / "paddleocr_rec_mv3_tps_bilstm_ctc"
FLAGS = json.loads((REPO / "tests" / "fixtures" / "paddleocr_predict_rec_flags.json").read_text())["flags"]


def value(flag):
    """A value PaddleOCR takes for ``flag``: its default, else a word (a folder, a provider)."""
    default = flag["default"]
    if flag["type"] == "str2bool":
        return str(bool(default))
    if default is None or default is False:
        return "x"
    return ",".join(map(str, default)) if isinstance(default, list) else str(default)


@pytest.mark.subprocess_tools
def test_the_pages_commands_print_what_it_shows(tmp_path):
    text = read_page(PAGE)
    view = clone_view(tmp_path)
    folder = view / "inference" / "rec_starnet"
    folder.mkdir(parents=True)
    for name in ("inference.pdmodel", "inference.pdiparams"):
        (folder / name).symlink_to(FOLDER / name)
    examples = console_examples(text)
    assert any("--rec_model_dir=\"./inference/rec_starnet/\"" in command for command, _ in examples)
    for command, output in examples:
        status, printed = run_command(command, view)
        assert status == 0 and same_output(output, printed), \
            f"$ {command}\n--- the page shows:\n{output}\n--- exit status {status}, printed:\n{printed}"


def table_flags():
    section = read_page(PAGE).split("## Every flag", 1)[1]
    return [name for row in section.splitlines() if row.startswith("| `--")
            for name in re.findall(r"`--(\w+)`", row.split(" | ")[0])]


def test_the_table_names_every_flag_once_and_each_is_accepted():
    named = table_flags()
    assert sorted(named) == sorted(flag["name"] for flag in FLAGS)
    parser = build_parser()
    for flag in FLAGS:
        args = parser.parse_args(["--image_dir=x", "--rec_model_dir=y", f"--{flag['name']}", value(flag)])
        assert hasattr(args, flag["name"]), flag["name"]

"""doc/training_own_data.md, run as a newcomer would from a clone: its dictionary example and its
data commands print what the page shows; each whole config it shows loads with the project's
config loader, passes the config check, builds its datasets (of the sizes the page gives, ratio_list
included), its charset and model (the head sized by the dictionary) and loads the weights it names;
the label-file recipe (train, evaluate, export) runs exactly as printed on the page's generated words."""
import re

import numpy as np
import paddle
import pytest

from ppocr import build_model
from ppocr.charset import build_charset
from ppocr.config import merge_config
from ppocr.config_check import check_config
from ppocr.data import build_dataset
from ppocr.data.lmdb_dataset import read_num_samples
from ppocr.errors import UserError
from ppocr.global_settings import GlobalSettings
from ppocr.trained_model.checkpoint import load_weights
from tests.helpers.doc_blocks import (clone_view, code_blocks, console_examples, input_files, python_examples, read_page,
                              run_command, run_python, same_output, write_input_files)

PAGE = "doc/training_own_data.md"
TEXT = read_page(PAGE)
CONFIGS = sorted(path for path in input_files(TEXT) if path.endswith(".yml"))


@pytest.fixture(scope="module")
def view(tmp_path_factory):
    """A view of the repository with the page's configs written, after its examples ran in page
    order of kind (the Python example writes the dictionaries, the commands the data);
    ``view.ran``: [(example, shown, printed)]."""
    root = clone_view(tmp_path_factory.mktemp("own_data"))
    write_input_files(root, TEXT)
    ran = [(code, shown, run_python(code, f"{PAGE} example", cwd=root)) for code, shown in python_examples(TEXT)]
    for command, shown in console_examples(TEXT):
        status, printed = run_command(command, root)
        ran.append((f"$ {command}", shown, printed if status == 0 else f"exit status {status}\n{printed}"))
    return root, ran


def test_the_page_has_the_examples_and_configs_it_describes():
    assert len(python_examples(TEXT)) == 1 and len(console_examples(TEXT)) == 5
    assert CONFIGS == ["my_configs/starnet_cased_lmdb.yml", "my_configs/starnet_own_labels.yml"]


@pytest.mark.subprocess_tools
@pytest.mark.training_e2e
def test_the_examples_print_what_the_page_shows(view):
    _root, ran = view
    for example, shown, printed in ran:
        assert same_output(shown, printed), f"{example}\n--- the page shows:\n{shown}\n--- printed:\n{printed}"


def load(root, path, monkeypatch, *overrides):
    monkeypatch.chdir(root)  # the configs name their data, weights and dictionary relative to the clone
    return check_config(merge_config(path, list(overrides)))


def label_count(path):
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def classes(model):
    """The class count of the model's classifier (the CTC head's last Linear)."""
    return int(model.state_dict()["head.fc.weight"].shape[-1])


@pytest.mark.parametrize("path", CONFIGS)
def test_each_config_loads_checks_and_builds(view, path, monkeypatch):
    root, _ran = view
    config = load(root, path, monkeypatch)
    settings = GlobalSettings.of(config)
    charset = build_charset(config)
    characters = label_count(root / settings.character_dict_path) if settings.character_dict_path else 36
    model = build_model(config)
    assert charset.num_classes == classes(model) == characters + 1  # the dictionary's characters and CTC's blank
    load_weights(model, settings.pretrained_model, skip_mismatched=settings.skip_mismatched_tensors)

    own_train = label_count(root / "train_data/my_words/train/labels.txt")
    own_val = label_count(root / "train_data/my_words/val/labels.txt")
    sizes = {mode: len(build_dataset(config, mode, charset)) for mode in ("Train", "Eval")}
    if config["Train"]["dataset"]["name"] == "SimpleDataSet":
        assert sizes == {"Train": own_train, "Eval": own_val}
    else:  # the synthetic words once, the own words ratio_list[1] times: the page says how many an epoch holds
        synth = read_num_samples(str(root / "train_data/synth_lmdb/words"))
        repeat = config["Train"]["dataset"]["ratio_list"][1]
        assert sizes == {"Train": synth + own_train * repeat, "Eval": own_val}
        shown = re.search(r"an epoch of this config holds (\d+) \+ (\d+) samples", " ".join(TEXT.split()))
        assert shown and (int(shown.group(1)), int(shown.group(2))) == (synth, own_train * repeat)


def test_the_cased_config_loads_the_shipped_weights_but_its_classifier(view, monkeypatch):
    root, _ran = view
    config = load(root, "my_configs/starnet_cased_lmdb.yml", monkeypatch)
    weights = GlobalSettings.of(config).pretrained_model
    model = build_model(config)
    with pytest.raises(UserError, match=r"head\.fc\.weight.*\[192, 37\].*\[192, 63\]"):
        load_weights(model, weights)  # the page's skip_mismatched_tensors is what lets them load
    load_weights(model, weights, skip_mismatched=True)
    shipped = paddle.load(weights + ".pdparams")
    loaded = [name for name, value in model.state_dict().items()
              if list(value.shape) == list(shipped[name].shape) and np.array_equal(value.numpy(), shipped[name].numpy())]
    assert sorted(set(model.state_dict()) - set(loaded)) == ["head.fc.bias", "head.fc.weight"]


def recipe_commands(text):
    """The commands of the page's bash block that trains the label-file config, each as printed
    (a trailing backslash joins the next line, as a shell does)."""
    (block,) = [b for b in code_blocks(text, "bash") if "tools/train.py -c my_configs/starnet_own_labels.yml" in b]
    return [line.strip() for line in block.replace("\\\n", " ").splitlines() if line.strip()]


@pytest.mark.subprocess_tools
@pytest.mark.training_e2e
def test_the_label_file_recipe_runs_as_printed(view):
    root, _ran = view
    commands = recipe_commands(TEXT)
    assert [c.split()[1] for c in commands] == ["tools/train.py", "tools/eval.py", "tools/export_model.py"]
    printed = {}
    for command in commands:
        status, printed[command] = run_command(command, root, timeout=900)
        assert status == 0, f"{command}\n{printed[command][-3000:]}"
    own_val = label_count(root / "train_data/my_words/val/labels.txt")
    train_log = printed[commands[0]]
    assert "global_step: 30," in train_log and "evaluating the last step" in train_log
    assert f"samples: {own_val}" in printed[commands[1]]
    assert (root / "inference/starnet_own_labels/inference.onnx").is_file()

"""doc/tools/train.md's optimizer and augmentation sections: every optimizer and schedule the
registries hold is in its tables, and each example section it shows builds (the Optimizer ones
on a model, the RecConAug transforms as a dataset's); its Python example is run by
tests/test_user_docs.py."""
import re

import paddle
import pytest
import yaml

from ppocr.config_check import check_config
from ppocr.data.imaug import build_ops
from ppocr.optimizer import build_optimizer
from ppocr.registry import LR_SCHEDULES, OPTIMIZERS
from tests.helpers.doc_blocks import code_blocks, read_page

TEXT = read_page("doc/tools/train.md")
EXAMPLES = [yaml.safe_load(block) for block in code_blocks(TEXT, "yaml")]
OPTIMIZER_EXAMPLES = [e["Optimizer"] for e in EXAMPLES if "Optimizer" in e]


def _table_names(heading):
    rows = re.findall(rf"^\| {heading} \|.*?\n\| --- .*?\n((?:\|.*\n)+)", TEXT, flags=re.MULTILINE)
    assert rows, f"no table headed {heading!r}"
    return {re.match(r"\| `(\w+)`", row).group(1) for row in rows[0].splitlines()}


def test_every_registered_optimizer_and_schedule_is_in_the_tables():
    assert _table_names("optimizer") == set(OPTIMIZERS.names())
    assert _table_names("`lr.name`") == set(LR_SCHEDULES.names())


def test_every_new_schedule_and_optimizer_has_an_example():
    shown = {e["name"] for e in OPTIMIZER_EXAMPLES} | {e["lr"]["name"] for e in OPTIMIZER_EXAMPLES}
    assert {"RMSProp", "Adadelta", "Linear", "Step", "MultiStepDecay", "OneCycle", "CyclicalCosine",
            "LinearWarmupCosine", "TwoStepCosine"} <= shown


@pytest.mark.parametrize("section", OPTIMIZER_EXAMPLES, ids=lambda s: f"{s['name']}-{s['lr']['name']}")
def test_each_optimizer_example_builds(section):
    section = check_config({"Optimizer": section})["Optimizer"]
    optimizer, lr = build_optimizer(section, 20, 10, paddle.nn.Linear(2, 2))
    assert type(optimizer).__name__ == section["name"] and optimizer.get_lr() >= 0


def test_the_rec_con_aug_example_builds_as_a_dataset_transform():
    (train,) = [e["Train"] for e in EXAMPLES if "Train" in e]
    ops = build_ops(train["dataset"]["transforms"], charset=_charset())
    assert [type(op).__name__ for op in ops][:2] == ["DecodeImage", "RecConAug"] and ops[1].ext_data_num == 2


def _charset():
    from ppocr.trained_model.from_config import build_charset

    return build_charset({"Global": {}, "Architecture": {"Head": {"name": "CTCHead"}},
                          "PostProcess": {"name": "CTCLabelDecode"}})

"""doc/reliability.md's stop and resume lines are those of the run it describes: 16 words in batches
of 4 saving to output/rec/tiny, stopped by SIGTERM during its sixth step through the tools' own
``run`` (the line on stderr, exit status 143), then resumed from ``latest`` (the line it logs)."""
import signal

import pytest

from ppocr.cli.startup import run, setup
from ppocr.training.trainer import Trainer
from tests.helpers.doc_blocks import code_blocks, read_page, shown
from tests.helpers.e2e import REPO
from tests.helpers.tiny import CONFIG, make_data, tiny_opts

pytestmark = [pytest.mark.training_e2e]

STOP_AT_STEP = 6  # "during its sixth step"


def page_line(start):
    (line,) = [line for block in code_blocks(read_page("doc/reliability.md"), "text")
               for line in block.splitlines() if start in line]
    return line


def test_the_stop_and_resume_lines_are_the_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    opts = tiny_opts(make_data(tmp_path / "data"), "output/rec/tiny")
    config, _, _ = setup(["-c", str(REPO / CONFIG), "-o", *opts], "reliability doc")
    trainer = Trainer(config)
    step, taken = trainer.train_step.step, []

    def stepped(batch):
        out = step(batch)
        taken.append(1)
        if len(taken) == STOP_AT_STEP:
            signal.raise_signal(signal.SIGTERM)
        return out

    trainer.train_step.step = stepped
    with pytest.raises(SystemExit) as stopped:
        run(trainer.train)
    (printed,) = [line for line in capsys.readouterr().err.splitlines() if line.startswith("stopped:")]
    assert stopped.value.code == 143 and shown(page_line("stopped: received"), printed), printed

    config, _, _ = setup(["-c", str(REPO / CONFIG), "-o", *opts, "Global.checkpoints=output/rec/tiny/latest"],
                      "reliability doc")
    Trainer(config)  # resumes as it is built
    (logged,) = [line for line in capsys.readouterr().out.splitlines() if "resumed from" in line]
    assert shown(page_line("resumed from"), logged), logged

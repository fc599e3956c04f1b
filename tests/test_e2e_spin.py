"""SPIN end to end with the real tools on a generated SimpleDataSet (as the reference config
uses): train (the loss falls), evaluate, infer, export, predict_rec with the seed's flags
(corrected) giving infer_rec's strings; the seed's two typos are one-line errors."""
import json

import pytest

from ppocr.synth import generate
from tests.helpers.e2e import infer_rec_results, predict_rec_results, read_log, run_tool

pytestmark = [pytest.mark.training_e2e, pytest.mark.subprocess_tools]

CONFIG = "configs/rec/rec_r32_gaspin_bilstm_att.yml"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("spin")
    generate(24, seed=31, out_dir=str(root / "train"), label_file=str(root / "train" / "rec_gt_train.txt"))
    generate(8, seed=32, out_dir=str(root / "test"), label_file=str(root / "test" / "rec_gt_test.txt"))
    save = root / "model"
    opts = [f"Global.save_model_dir={save}", "Global.use_gpu=False", "Global.epoch_num=2",
            "Global.print_batch_step=4", "Global.eval_batch_step=[0,12]", "Global.save_epoch_step=1",
            f"Train.dataset.data_dir={root / 'train'}",
            f"Train.dataset.label_file_list=[{root / 'train' / 'rec_gt_train.txt'}]",
            f"Eval.dataset.data_dir={root / 'test'}",
            f"Eval.dataset.label_file_list=[{root / 'test' / 'rec_gt_test.txt'}]",
            "Train.loader.batch_size_per_card=2", "Train.loader.num_workers=0",
            "Eval.loader.batch_size_per_card=4", "Eval.loader.num_workers=0",
            f"Global.save_res_path={root / 'predicts.txt'}"]
    run_tool("tools/train.py", "-c", CONFIG, "-o", *opts)
    weights = f"Global.pretrained_model={save / 'best_accuracy'}"
    inference = root / "inference" / "rec_r32_gaspin_bilstm_att"
    run_tool("tools/export_model.py", "-c", CONFIG, "-o", *opts, weights, f"Global.save_inference_dir={inference}")
    return {"root": root, "save": save, "opts": opts, "weights": weights, "inference": inference}


def test_training_loss_falls_and_checkpoints_are_written(trained):
    save = trained["save"]
    for suffix in (".pdparams", ".pdopt", ".states"):
        assert (save / ("latest" + suffix)).is_file() and (save / ("best_accuracy" + suffix)).is_file()
    assert json.loads((save / "latest.states").read_text())["global_step"] == 24
    losses = [r["loss"] for r in read_log(save, "train")]  # each smoothed over the last 50 steps
    assert len(losses) == 6
    assert losses[-1] < 0.9 * losses[0], losses
    evals = read_log(save, "eval")
    assert [r["samples"] for r in evals] == [8, 8]


def test_eval_tool(trained):
    proc = run_tool("tools/eval.py", "-c", CONFIG, "-o", *trained["opts"], trained["weights"])
    assert '"samples": 8' in proc.stdout


def test_predict_rec_with_the_seed_flags_reads_what_infer_rec_reads(trained):
    images = trained["root"] / "test" / "images"
    proc = run_tool("tools/infer_rec.py", "-c", CONFIG, "-o", *trained["opts"], trained["weights"],
                    f"Global.infer_img={images}")
    infer = infer_rec_results(proc.stdout)
    assert len(infer) == 8
    # the reference's command with its typos corrected; it says 3 channels, SPIN reads one grey one
    seed_flags = [f"--rec_model_dir={trained['inference']}/", "--rec_image_shape=3, 32, 100",
                  "--rec_algorithm=SPIN", "--rec_char_dict_path=./ppocr/utils/dict/spin_dict.txt",
                  "--use_space_char=False"]
    for batch in ("1", "6"):
        proc = run_tool("tools/infer/predict_rec.py", f"--image_dir={images}", *seed_flags, f"--rec_batch_num={batch}")
        assert predict_rec_results(proc.stdout) == infer
        assert "the model reads one grey channel, so the images are read as 1, 32, 100" in proc.stdout + proc.stderr
    one = sorted(infer)[0]
    proc = run_tool("tools/infer/predict_rec.py", f"--image_dir={one}", *seed_flags)
    assert predict_rec_results(proc.stdout) == {one: infer[one]}


@pytest.mark.parametrize("flag, message", [
    ('--rec_char_dict_path=/ppocr/utils/dict/spin_dict.txt', "'/ppocr/utils/dict/spin_dict.txt': no such file"),
    ("--use_space_char=Falsee", "'Falsee' is not a boolean: expected True or False"),
    ("--rec_algorithm=STARNet", "the model in"),
    ("--rec_image_shape=3, 48, 100", "exported for [1, 32, 100] (one channel: the model reads grey images)"),
])
def test_the_seed_command_typos_are_one_line_errors(trained, flag, message):
    images = trained["root"] / "test" / "images"
    flags = {"--rec_char_dict_path": "--rec_char_dict_path=./ppocr/utils/dict/spin_dict.txt",
             "--use_space_char": "--use_space_char=False", "--rec_algorithm": "--rec_algorithm=SPIN",
             "--rec_image_shape": "--rec_image_shape=1, 32, 100"}
    flags[flag.split("=")[0]] = flag
    proc = run_tool("tools/infer/predict_rec.py", f"--image_dir={images}", f"--rec_model_dir={trained['inference']}/",
                    *flags.values(), expect=2)
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_the_literal_seed_command_fails_cleanly(trained):
    """As typed in the seed document (both typos): a one-line error naming the first bad value."""
    proc = run_tool("tools/infer/predict_rec.py", "--image_dir=./doc/imgs_words/en/word_1.png",
                    f"--rec_model_dir={trained['inference']}/", "--rec_image_shape=3, 32, 100",
                    "--rec_algorithm=SPIN", "--rec_char_dict_path=/ppocr/utils/dict/spin_dict.txt",
                    "--use_space_char=Falsee", expect=2)
    assert proc.stderr.count("\n") == 1 and "Falsee" in proc.stderr and "Traceback" not in proc.stderr

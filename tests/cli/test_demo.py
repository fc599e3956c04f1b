"""tools/demo.py's plan (ppocr/cli/demo.py): what it renders (seeds apart from the shipped model's data and from each
other, the validation once per case in a family the shipped model never saw) and the commands it
runs, without running them (`make demo` runs the whole loop; it takes minutes), and how its summary
reads the samples with an exported model."""
from pathlib import Path

from ppocr.cli import demo as demo_module
from ppocr.cli.demo import labels_of, readings_of
from ppocr.config import load_config

REPO = Path(__file__).resolve().parents[2]


def load_demo():
    return demo_module


def option(command, name):
    return command[command.index(name) + 1]


def test_the_plan_renders_apart_fine_tunes_the_shipped_model_and_reads_the_samples():
    demo = load_demo()
    plan = demo.steps("python", "/fonts", demo.parse_args(["--train_num", "101", "--val_num", "30"]))
    commands = [command for _, command in plan]
    assert [c[1] for c in commands] == ["tools/gen_synth_data.py"] * 3 + [
        "tools/eval.py", "tools/train.py", "tools/eval.py", "tools/export_model.py", "tools/infer/predict_rec.py"]
    validation, *training = commands[:3]
    assert "--per_case" in validation and option(validation, "--num") == "10"
    assert option(validation, "--fonts") == "/fonts/STIXGeneral*.ttf"
    assert [option(c, "--fonts") for c in training] == ["/fonts/STIXGeneral*.ttf", "/fonts/DejaVu*.ttf"]
    seeds = [int(option(c, "--seed")) for c in commands[:3]]
    assert len(set(seeds)) == 3 and not set(seeds) & set(range(1, 11))  # the shipped model's seeds: 1 to 10
    assert f"Global.pretrained_model={demo.SHIPPED}" in commands[3] and "--onnx" in commands[6]
    config = load_config(str(REPO / demo.CONFIG))
    assert config["Global"]["pretrained_model"].lstrip("./") == demo.SHIPPED
    assert (REPO / (demo.SHIPPED + ".pdparams")).is_file()
    assert config["Eval"]["dataset"]["data_dir"].rstrip("/").lstrip("./") == f"{demo.DATA}/validation"
    assert config["Train"]["dataset"]["data_dir"].rstrip("/").lstrip("./") == f"{demo.DATA}/training"


def test_the_bundled_samples_are_labelled_and_hold_every_case():
    labels = labels_of(str(REPO / "doc" / "imgs_words_en.txt"))
    assert len(labels) >= 10 and all((REPO / "doc" / "imgs_words_en" / name).is_file() for name in labels)
    cases = {"lower" if t.islower() else "upper" if t.isupper() else "title" if t.istitle() else "mixed"
             for t in labels.values() if any(c.isalpha() for c in t)}
    assert {"lower", "upper"} <= cases and cases & {"title", "mixed"}


def test_the_summary_reads_the_samples_with_the_exported_model(monkeypatch):
    monkeypatch.chdir(REPO)
    rows = readings_of("pretrained/rec_mv3_tps_bilstm_ctc_synth/inference", demo_module.SAMPLES)
    assert len(rows) == len(labels_of(str(REPO / demo_module.SAMPLE_LABELS)))
    read = {Path(path).name: text for path, text, _ in rows}
    assert read["word_1.png"] == "unreachable" and read["word_10.png"] == "handlers"  # README's readings

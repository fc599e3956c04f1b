"""tools/demo.py's plan: what it renders (seeds apart from the shipped model's training and from
each other, words split between the font families) and the commands it runs, without running them
(`make demo` runs the whole loop; it takes minutes)."""
import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def load_demo():
    sys.path.insert(0, str(REPO / "tools"))  # demo.py imports _bootstrap from its own folder
    try:
        spec = importlib.util.spec_from_file_location("tool_demo", REPO / "tools" / "demo.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(REPO / "tools"))
    return module


def option(command, name):
    return command[command.index(name) + 1]


def test_render_commands_split_the_words_and_keep_the_seeds_apart():
    demo = load_demo()
    training = demo.render_commands("python", "/fonts", "training", 101)
    validation = demo.render_commands("python", "/fonts", "validation", 7)
    assert [int(option(c, "--num")) for c in training] == [51, 50]
    assert [int(option(c, "--num")) for c in validation] == [4, 3]
    seeds = [int(option(c, "--seed")) for c in training + validation]
    shipped_model_seeds = {1, 2, 3}  # doc/pretrained.md: training 1 and 3, validation 2
    assert len(set(seeds)) == len(seeds) and not set(seeds) & shipped_model_seeds
    assert [option(c, "--fonts") for c in training] == ["/fonts/[Dc]*.ttf", "/fonts/STIXGeneral*.ttf"]
    assert [option(c, "--lmdb") for c in validation] == [f"{demo.DATA}/validation/{f}" for f in demo.FAMILIES]


def test_steps_fine_tune_from_the_shipped_weights_and_evaluate_each_family(tmp_path):
    demo = load_demo()
    args = demo.parse_args([])
    commands = [command for _, command in demo.steps("python", "/fonts", args)]
    tools = [c[1] for c in commands]
    assert tools == ["tools/gen_synth_data.py"] * 4 + ["tools/eval.py", "tools/train.py", "tools/eval.py",
                                                      "tools/export_model.py", "tools/infer/predict_rec.py"]
    assert f"Global.pretrained_model={demo.SHIPPED}" in commands[4]
    config = demo.load_config(str(REPO / demo.CONFIG))
    assert config["Global"]["pretrained_model"].lstrip("./") == demo.SHIPPED
    assert (REPO / (demo.SHIPPED + ".pdparams")).is_file()
    assert config["Eval"]["dataset"]["data_dir"].rstrip("/").lstrip("./") == f"{demo.DATA}/validation"

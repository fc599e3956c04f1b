"""ppocr/export/model_folder.py: the exported-model folder is one versioned format. What it writes
it reads back; a folder exported before the version key reads as version 1; anything else is one
line naming the file, what is missing and the command that writes a good folder; no other module
of the library (nor a benchmark, nor the doc's picture script) names the folder's files."""
import ast
import shutil

import pytest
import yaml

from ppocr.errors import UserError
from ppocr.export import model_folder
from ppocr.export.model_folder import FORMAT_VERSION, read_model_info, write_model_info
from tests.helpers.e2e import REPO, library_users

SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference"
CHARSET = {"scheme": "attn", "characters": list("abc"), "lower": True, "max_text_length": 25}
OPS = [{"DecodeImage": {"img_mode": "BGR", "channel_first": False}},
       {"SPINRecResizeImg": {"image_shape": [100, 32]}}, {"KeepKeys": {"keep_keys": ["image"]}}]


def test_what_is_written_is_read_back_with_the_format_version(tmp_path):
    write_model_info(str(tmp_path), algorithm="SPIN", image_shape=(1, 32, 100), transform_ops=OPS,
                     postprocess={"name": "SPINLabelDecode", "use_space_char": False, "character_dict_path": "x.txt"},
                     charset=CHARSET)
    on_disk = yaml.safe_load((tmp_path / "inference.yml").read_text())
    assert on_disk["format_version"] == FORMAT_VERSION == 1
    info = read_model_info(tmp_path)
    assert (info.format_version, info.algorithm, info.image_shape) == (1, "SPIN", [1, 32, 100])
    assert info.transform_ops == OPS and info.charset == CHARSET
    assert info.postprocess == {"name": "SPINLabelDecode", "use_space_char": False}  # no dictionary path, no charset
    assert info.path == str(tmp_path / "inference.yml")


def test_a_folder_exported_before_the_version_key_reads_as_version_1(tmp_path):
    folder = shipped_with(tmp_path, lambda info: info.pop("format_version"))
    assert "format_version" not in yaml.safe_load((folder / "inference.yml").read_text())
    info = read_model_info(folder)
    assert (info.format_version, info.algorithm, info.image_shape) == (1, "STARNet", [3, 32, 100])
    assert info.postprocess["name"] == "CTCLabelDecode" and len(info.charset["characters"]) == 36


def shipped_with(tmp_path, edit):
    folder = tmp_path / "inference"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("inference.onnx", "inference.pdiparams"))
    info = yaml.safe_load((folder / "inference.yml").read_text())
    text = edit(info)
    (folder / "inference.yml").write_text(text if isinstance(text, str) else yaml.safe_dump(info))
    return folder


def _drop(*path):
    def edit(info):
        node = info
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return edit


def _set(value, *path):
    def edit(info):
        node = info
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


@pytest.mark.parametrize("edit, missing", [
    (lambda info: "x: 1\n", "has no Global section"),
    (lambda info: "- a\n- b\n", "is not a mapping with Global, PreProcess and PostProcess sections"),
    (lambda info: "Global: [unclosed\n", "is not readable YAML"),
    (_drop("PreProcess"), "has no PreProcess section"),
    (_set([], "PreProcess", "transform_ops"), "has no PreProcess.transform_ops list of data ops"),
    (_drop("PostProcess", "charset"), "has no PostProcess name and charset"),
    (_drop("PostProcess", "charset", "characters"), "has no PostProcess.charset.characters"),
    (_set([3, 32], "Global", "image_shape"), "has no Global.image_shape [C, H, W] (got [3, 32])"),
    (_set("one", "format_version"), "has format_version 'one', expected a positive integer"),
])
def test_a_file_that_is_not_ours_is_one_line_naming_it_and_the_export_command(tmp_path, edit, missing):
    folder = shipped_with(tmp_path, edit)
    with pytest.raises(UserError) as info:
        read_model_info(folder)
    message = str(info.value)
    assert f"'{folder / 'inference.yml'}' {missing}" in message, message
    assert "python tools/export_model.py -c CONFIG" in message and "\n" not in message


def test_a_newer_format_says_to_upgrade_or_re_export(tmp_path):
    folder = shipped_with(tmp_path, _set(FORMAT_VERSION + 1, "format_version"))
    with pytest.raises(UserError, match=f"has format_version {FORMAT_VERSION + 1}, written by a newer"):
        read_model_info(folder)


def test_a_missing_folder_or_file_is_one_line(tmp_path):
    with pytest.raises(UserError, match="model folder .* does not exist"):
        read_model_info(tmp_path / "nowhere")
    with pytest.raises(UserError, match="inference.yml' is missing: export the model with tools/export_model.py"):
        read_model_info(tmp_path)


def test_the_paddle_files_are_found_or_named(tmp_path):
    graph, params = model_folder.paddle_files(str(SHIPPED))
    assert graph.endswith("inference.json") and params.endswith("inference.pdiparams")
    folder = shipped_with(tmp_path, lambda info: None)
    with pytest.raises(UserError, match="inference.pdiparams' is missing: re-export the model"):
        model_folder.paddle_files(str(folder))
    (folder / "inference.json").unlink()
    with pytest.raises(UserError, match="has no inference.json or inference.pdmodel"):
        model_folder.paddle_files(str(folder))
    assert not model_folder.has_onnx(str(folder)) and model_folder.onnx_path(str(folder)).endswith("inference.onnx")


def test_no_other_module_of_the_library_names_the_folder_files():
    names = {model_folder.INFO_FILE, model_folder.PADDLE_PARAMS_FILE, model_folder.ONNX_FILE,
             *model_folder.PADDLE_GRAPH_FILES}
    found = []
    for path in library_users():
        if path.name == "model_folder.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in names:
                found.append(f"{path.relative_to(REPO)}:{node.lineno} {node.value!r}")
    assert not found, found

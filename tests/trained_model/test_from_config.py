"""ppocr/trained_model/from_config.py: the one place that turns a config into a model and a trained
recogniser (its images are read by the inference pipeline: tests/inference/test_pipeline.py,
test_infer_cli.py). The head declares the charset's layout, which every label encoder and the
decoder must agree with (``ppocr.charset.build_charset``); the model is sized by the charset."""
import paddle
import pytest

from ppocr.config import load_config, merge_config
from ppocr.errors import UserError
from ppocr.global_settings import GlobalSettings
from ppocr.registry import DATA_OPS, HEADS, POSTPROCESS
from ppocr.trained_model.from_config import TrainedModel, build_charset, build_model
from tests.helpers.e2e import REPO
from tests.helpers.parity import save_decisive_weights
from tests.helpers.tiny import CONFIG


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    return save_decisive_weights(tmp_path_factory.mktemp("recognizer"), merge_config(str(REPO / CONFIG)))


def test_checkpoints_win_over_pretrained_weights_and_none_is_an_error():
    def weights_of(config):
        return GlobalSettings.of(config).weights

    assert weights_of({"Global": {"checkpoints": "a/latest", "pretrained_model": "b/best"}}) == "a/latest"
    assert weights_of({"Global": {"pretrained_model": "b/best"}}) == "b/best" and weights_of({}) is None
    with pytest.raises(UserError, match="no weights given: set -o Global.pretrained_model"):
        TrainedModel.from_config(merge_config(str(REPO / CONFIG)))


def test_the_weights_are_loaded_and_the_model_is_in_eval_mode(weights):
    rec = TrainedModel.from_config(merge_config(str(REPO / CONFIG), [f"Global.pretrained_model={weights}"]))
    assert not rec.model.training and rec.charset.num_classes == 37 and rec.weights == weights
    loaded = paddle.load(f"{weights}.pdparams")
    for name, value in rec.model.state_dict().items():
        assert (value.numpy() == loaded[name].numpy()).all(), name
    assert rec.preprocess.output_shape == [3, 32, 100]


@pytest.mark.parametrize("stem, scheme, classes", [("rec_mv3_tps_bilstm_ctc", "ctc", 37),
                                                   ("rec_r32_gaspin_bilstm_att", "attn", 70)])
def test_the_head_declares_the_layout(repo_root, stem, scheme, classes):
    config = load_config(str(repo_root / "configs" / "rec" / f"{stem}.yml"))
    assert HEADS.get(config["Architecture"]["Head"]["name"]).charset_scheme == scheme
    del config["PostProcess"]  # the last stage no longer decides what sizes the head
    charset = build_charset(config)
    assert (charset.scheme, charset.num_classes) == (scheme, classes)
    model = build_model(config, charset)
    classifier = [layer for layer in model.head.sublayers() if isinstance(layer, paddle.nn.Linear)][-1]
    assert classifier.weight.shape[-1] == classes


def test_encoders_decoders_and_heads_name_the_layout_with_one_attribute():
    named = {cls.__name__: cls.charset_scheme for reg in (DATA_OPS, POSTPROCESS, HEADS) for cls in map(reg.get, reg.names())
             if getattr(cls, "charset_scheme", None)}
    assert named == {"CTCLabelEncode": "ctc", "SPINLabelEncode": "attn", "CTCLabelDecode": "ctc",
                     "SPINLabelDecode": "attn", "CTCHead": "ctc", "SPINAttentionHead": "attn"}


def test_an_encoder_of_another_layout_is_refused_when_the_config_is_loaded(repo_root):
    config = load_config(str(repo_root / "configs" / "rec" / "rec_mv3_tps_bilstm_ctc.yml"))
    config["Eval"]["dataset"]["transforms"][1] = {"SPINLabelEncode": None}
    with pytest.raises(UserError, match="Eval.dataset.transforms: SPINLabelEncode makes attn labels but the head "
                                        "CTCHead needs ctc labels"):
        build_charset(config)


def test_a_decoder_of_another_layout_is_refused(repo_root):
    config = load_config(str(repo_root / "configs" / "rec" / "rec_r32_gaspin_bilstm_att.yml"))
    config["PostProcess"] = {"name": "CTCLabelDecode"}
    with pytest.raises(UserError, match="PostProcess CTCLabelDecode decodes ctc output but the head SPINAttentionHead "
                                        "makes attn output"):
        build_charset(config)


def test_no_head_name_is_a_user_error():
    with pytest.raises(UserError, match="no Architecture.Head.name"):
        build_charset({"Global": {}, "Architecture": {}, "PostProcess": {"name": "CTCLabelDecode"}})


def test_a_config_without_architecture_or_a_stage_is_one_line(repo_root):
    with pytest.raises(UserError, match="the config has no Architecture section"):
        build_model({"Global": {}})
    config = load_config(str(repo_root / "configs" / "rec" / "rec_mv3_tps_bilstm_ctc.yml"))
    charset = build_charset(config)
    del config["Architecture"]["Backbone"]
    with pytest.raises(UserError, match="the config has no Architecture.Backbone section: a recogniser has"):
        build_model(config, charset)

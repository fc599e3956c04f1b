"""Data ops: each is ``op(data: dict) -> dict`` and raises ``SkipSample`` for an unusable sample.

A config lists them in order, one single-key mapping per op::

    transforms:
      - DecodeImage: {img_mode: BGR, channel_first: False}
      - CTCLabelEncode:
      - RecResizeImg: {image_shape: [3, 32, 100]}
      - KeepKeys: {keep_keys: [image, label, length]}
"""
import inspect

from ppocr.data.imaug import label_ops, operators, rec_img_aug  # noqa: F401  (register the ops)
from ppocr.errors import UserError
from ppocr.registry import DATA_OPS


def build_ops(transforms, charset=None):
    """The op objects of a ``transforms`` list, built through the DATA_OPS registry.

    ``charset=`` is passed to exactly the ops whose ``__init__`` has a ``charset`` parameter
    (the label encoders), so nothing else re-reads the dictionary file.

    Example::

        ops = build_ops([{"DecodeImage": {"img_mode": "BGR"}},
                         {"RecResizeImg": {"image_shape": [3, 32, 100]}}])
        ops[-1].output_shape   # (3, 32, 100)
    """
    if not isinstance(transforms, list) or not transforms:
        raise UserError(f"dataset.transforms must be a non-empty list of ops, got {transforms!r}")
    ops = []
    for position, item in enumerate(transforms):
        if not isinstance(item, dict) or len(item) != 1:
            raise UserError(
                f"transforms item {position} must be a mapping with one op name, e.g. "
                f"'- RecResizeImg: {{image_shape: [3, 32, 100]}}', got {item!r}"
            )
        (name, params), = item.items()
        params = dict(params or {})
        try:
            cls = DATA_OPS.get(name)
        except KeyError as e:
            raise UserError(f"transforms item {position}: {e.args[0]}") from None
        if "charset" in inspect.signature(cls.__init__).parameters:
            if charset is None:
                raise UserError(f"data op {name} needs the charset, but none was given")
            params["charset"] = charset
        try:
            ops.append(cls(**params))
        except TypeError as e:
            raise UserError(f"data op {name}: bad options {sorted(params)}: {e}") from None
    return ops


def transform(data, ops):
    """Run ``data`` through ``ops`` in order (a ``SkipSample`` propagates)."""
    for op in ops:
        data = op(data)
    return data

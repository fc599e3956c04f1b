"""Data ops: each is ``op(data: dict) -> dict`` and raises ``SkipSample`` for an unusable sample.

A config lists them in order, one single-key mapping per op::

    transforms:
      - DecodeImage: {img_mode: BGR, channel_first: False}
      - CTCLabelEncode:
      - RecResizeImg: {image_shape: [3, 32, 100]}
      - KeepKeys: {keep_keys: [image, label, length]}
"""
from ppocr.data.imaug import batch_resize, fiducials, label_ops, operators, rec_con_aug, rec_img_aug  # noqa: F401  (register the ops)
from ppocr.errors import UserError
from ppocr.registry import DATA_OPS


def build_ops(transforms, charset=None):
    """The op objects of a ``transforms`` list, built through the DATA_OPS registry.

    ``charset`` goes to exactly the ops that name it in their ``__init__`` (the label encoders),
    so nothing else re-reads the dictionary file; a misspelt option is a one-line error.

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
        if params is not None and not isinstance(params, dict):
            raise UserError(f"transforms item {position}: the options of {name} must be a mapping, got {params!r}")
        try:
            ops.append(DATA_OPS.build({"name": name, **(params or {})}, context={"charset": charset}))
        except UserError as e:
            raise UserError(f"transforms item {position}: {e}") from None
    return ops


def transform(data, ops):
    """Run ``data`` through ``ops`` in order (a ``SkipSample`` propagates)."""
    for op in ops:
        data = op(data)
    return data

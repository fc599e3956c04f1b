"""``tools/vis_rectify.py``: what a model's rectifier makes of word images, drawn as a PNG grid."""
from ppocr.cli.startup import setup
from ppocr.inference.rectification import add_vis_args, draw_rectification


def vis_rectify(argv=None, description=None):
    config, settings, args = setup(argv, description, extra_args=add_vis_args)
    return draw_rectification(config, args.out, max_images=args.max_images, scale=args.scale, settings=settings)

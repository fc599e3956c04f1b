"""Fill an LMDB and/or a folder with synthetic word images, in one or several processes.

Sample ``i`` is drawn from its own generator seeded by ``(seed, i)`` and its background scenes
from ``(seed, i // BANK_SIZE)``, so the same seed gives the same bytes whatever ``workers`` and
``chunk_size``. Chunks are rendered in order by a process pool and written as they come back.

Example::

    python tools/gen_synth_data.py --num 2000 --seed 0 --lmdb train_data/synth_lmdb/training/synth
    python -c "from ppocr.synth import generate; generate(200, seed=0, out_dir='/tmp/synth')"
"""
import multiprocessing
import os
from dataclasses import replace

import cv2
import numpy as np

from ppocr.data.lmdb_format import LMDBWriter, Sample
from ppocr.errors import UserError
from ppocr.synth.background import BANK_SIZE, make_bank
from ppocr.synth.effects import encode_jpeg
from ppocr.synth.fonts import find_fonts, group_by_family
from ppocr.synth.photos import background_files
from ppocr.synth.synth_settings import CASES, DEFAULT_SETTINGS
from ppocr.synth.text import WORDS_FILE, load_words
from ppocr.synth.word import WordRenderer
from ppocr.synth.writers import FolderWriter, refuse_full_folder


def render_range(task):
    """Worker task: samples ``start..stop-1`` as a list of ``Sample`` (JPEG bytes)."""
    config, photo_files, seed, start, stop, bank_size = task
    renderer = WordRenderer(**config)
    low, high = config["settings"].final_jpeg_quality
    bank_id, bank = None, None
    out = []
    for index in range(start, stop):
        if index // bank_size != bank_id:
            bank_id = index // bank_size
            bank = make_bank(seed, bank_id, photo_files)
        rng = np.random.default_rng([seed, index])
        text, image, meta = renderer.render(rng, bank)
        out.append(Sample(text, encode_jpeg(image, rng.integers(low, high + 1)), meta))
    return out


def _one_thread():
    cv2.setNumThreads(1)  # a worker per core: OpenCV's own threads would only compete


def generate(num, seed=0, lmdb_dir=None, out_dir=None, label_file=None, fonts=None, case="mixed",
             max_len=25, workers=1, chunk_size=256, progress=False, words_file=WORDS_FILE, split="all",
             families=None, exclude_families=None, backgrounds=None, settings=DEFAULT_SETTINGS):
    """Render ``num`` word images into an LMDB (``lmdb_dir``) and/or a folder of images with a
    SimpleDataSet label file (``out_dir``, ``label_file`` default ``out_dir/labels.txt``), with
    per-sample metadata (font file, family, case, kind of text).

    ``fonts``: folders, globs or files (a list, or a comma-separated string; default:
    matplotlib's fonts); ``split``: ``all``, ``train`` (without the held-out families) or
    ``heldout``; ``families`` / ``exclude_families``: family names (list or comma-separated);
    ``case``: ``mixed`` (45 % lower, 30 % Title, 25 % UPPER), ``lower``, ``title`` or ``upper``;
    ``backgrounds``: folders, globs or files of photographs and textures to write on (default:
    none; the "photo" backgrounds are then procedural scenes). Returns the number written.

    Example::

        generate(200, seed=0, lmdb_dir="/tmp/synth_lmdb")   # about a second
        generate(500, seed=3, out_dir="/tmp/val_upper", fonts="/usr/share/fonts", split="heldout", case="upper")
        generate(500, seed=4, lmdb_dir="/tmp/photos", backgrounds="/usr/share/backgrounds")
    """
    from ppocr.utils.progress import ProgressBar

    if not lmdb_dir and not out_dir:
        raise UserError("nowhere to write: give lmdb_dir (--lmdb) and/or out_dir (--out_dir)")
    if int(num) <= 0:
        raise UserError(f"the number of images must be positive, got {num}")
    if int(workers) < 1 or int(chunk_size) < 1:
        raise UserError(f"workers and chunk_size must be at least 1, got {workers} and {chunk_size}")
    faces = find_fonts(fonts, split=split, families=families, exclude_families=exclude_families)
    config = {"faces": faces, "words": load_words(words_file, max_len), "case": case, "max_len": max_len,
              "settings": settings}
    WordRenderer(**config)  # checks the settings before any worker starts
    num, chunk_size = int(num), int(chunk_size)
    photo_files = background_files(backgrounds)
    tasks = [(config, photo_files, int(seed), s, min(s + chunk_size, num), BANK_SIZE)
             for s in range(0, num, chunk_size)]
    info = {"seed": int(seed), "num": num, "case": case, "split": split, "max_len": int(max_len),
            "families": list(group_by_family(faces)), "backgrounds": len(photo_files)}
    if out_dir:
        refuse_full_folder(out_dir)  # before the LMDB is begun: a refusal leaves nothing behind
    writers = []
    try:
        if lmdb_dir:
            writers.append(LMDBWriter(lmdb_dir))
        if out_dir:
            writers.append(FolderWriter(out_dir, label_file))
        with ProgressBar(total=num, desc="synth", disable=not progress, dynamic_ncols=True) as bar:
            if workers > 1:
                # spawned, not forked: a fork copies OpenCV's thread pool (and paddle's) in a state
                # the child's calls can wait on for ever
                pool = multiprocessing.get_context("spawn").Pool(processes=int(workers), initializer=_one_thread)
                try:
                    count = _write(pool.imap(render_range, tasks), writers, bar)  # ordered: chunk i written i-th
                    pool.close()  # workers leave by themselves (terminating them makes paddle print a trace)
                except BaseException:
                    pool.terminate()
                    raise
                pool.join()
            else:
                count = _write(map(render_range, tasks), writers, bar)
    except BaseException:
        for writer in writers:
            if isinstance(writer, LMDBWriter):
                writer.abort()  # no num-samples: an interrupted run leaves no LMDB a dataset would accept
        raise
    for writer in writers:
        writer.close(count, info)
    return count


def _write(chunks, writers, bar):
    index = 0
    for chunk in chunks:
        for writer in writers:
            writer.write(index, chunk)
        index += len(chunk)
        bar.update(len(chunk))
    return index


def generate_per_case(num, seed=0, lmdb_dir=None, out_dir=None, cases=CASES, **options):
    """One set of ``num`` words per case, in ``lmdb_dir/<case>`` and/or ``out_dir/<case>``: the
    validation protocol. With a fixed case a sample draws nothing for its case, so the sets hold
    the same words in the same fonts with the same effects, and differ only in their case.
    Returns {case: count}.

    Example::

        generate_per_case(700, seed=2, lmdb_dir="val", fonts="/usr/share/fonts", split="heldout")
        # then: tools/eval.py -c CONFIG -o Eval.dataset.data_dir=val   (a row per case)
    """
    counts = {}
    for case in cases:
        counts[case] = generate(num, seed=seed, lmdb_dir=lmdb_dir and os.path.join(lmdb_dir, case),
                                out_dir=out_dir and os.path.join(out_dir, case), case=case, **options)
    return counts


def settings_for(punctuation=False, settings=DEFAULT_SETTINGS):
    """``settings`` with punctuation in some words and numbers (for a charset that has it, as
    SPIN's), or without any (the default: a 0-9a-z charset then skips no sample)."""
    return replace(settings, punctuation=bool(punctuation))

"""What the tests share, in one folder: ``e2e`` (the repository, running a tool), ``tiny`` (tiny
training runs), ``datasets`` (data-test configs, small LMDBs, word images), ``parity`` (decisive
weights for comparing two ways of running one model), ``fault`` (fault injection into a training
run), ``serving`` and ``browser`` (a served model, its page in Chromium), ``doc_blocks`` (the doc
pages' commands run as written), ``image_headers`` (crafted image headers), ``small_net``."""

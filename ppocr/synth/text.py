"""What a synthetic word says: a word of the list, random letters, a number or a code, in a case.

The case of ``case="mixed"`` follows ``SynthSettings.case_weights`` (lower 45 %, Title 30 %,
UPPER 25 %); ``"lower"``, ``"title"`` and ``"upper"`` fix it, to make one validation set per case.
A label is always the text drawn, exactly: its case, digits and punctuation included (a charset
without them lower-cases or skips it when training, as the config says). Punctuation is drawn
only with ``SynthSettings.punctuation`` on.

``words_en.txt`` holds 3000 common English words: the most frequent words of English prose
found offline, kept if in a standard word list.

Example::

    sampler = TextSampler(load_words(), case="mixed")
    sampler.sample(np.random.default_rng(0))   # ('Remember', 'title', 'word')
"""
import os
import string

from ppocr.errors import UserError
from ppocr.synth.synth_settings import CASES, DEFAULT_SETTINGS

WORDS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "words_en.txt")
CASE_CHOICES = CASES + ("mixed",)
TRAILING_MARKS = ".,!?:;"


def load_words(path=WORDS_FILE, max_len=25):
    """The words of a word list (one per line) of at most ``max_len`` characters."""
    if not os.path.isfile(path):
        raise UserError(f"word list {path!r} does not exist: give a text file with one word per line")
    with open(path, encoding="utf-8", errors="replace") as f:
        words = [w for w in (line.strip() for line in f) if w and len(w) <= max_len]
    if not words:
        raise UserError(f"word list {path!r} has no word of at most {max_len} characters")
    return words


def apply_case(text, case):
    """``text`` in ``case``; Title capitalises the first letter only ('don't' -> "Don't")."""
    if case == "upper":
        return text.upper()
    if case == "title":
        text = text.lower()
        for i, ch in enumerate(text):
            if ch.isalpha():
                return text[:i] + ch.upper() + text[i + 1:]
        return text
    return text.lower()


class TextSampler:
    """Draws ``(text, case, kind)`` from a numpy Generator."""

    def __init__(self, words, case="mixed", max_len=25, settings=DEFAULT_SETTINGS):
        if case not in CASE_CHOICES:
            raise UserError(f"case must be one of {', '.join(CASE_CHOICES)}, got {case!r}")
        if int(max_len) < 1:
            raise UserError(f"max_len must be at least 1, got {max_len}")
        self.words = [w.lower() for w in words]
        self.case, self.max_len, self.settings = case, int(max_len), settings
        kinds = [(k, w) for k, w in settings.kind_weights if k != "word" or self.words]
        self.kinds = [k for k, _ in kinds]
        weights = [w for _, w in kinds]
        self.kind_p = [w / sum(weights) for w in weights]
        self.case_p = [w / sum(settings.case_weights) for w in settings.case_weights]

    def sample(self, rng):
        case = self.case if self.case != "mixed" else CASES[rng.choice(len(CASES), p=self.case_p)]
        kind = self.kinds[rng.choice(len(self.kinds), p=self.kind_p)]
        for _ in range(10):
            text = getattr(self, "_" + kind)(rng, case)
            if len(text) <= self.max_len:
                return text, case, kind
        return text[: self.max_len], case, kind

    def _word(self, rng, case):
        word = self._any_word(rng)
        if self.settings.punctuation and rng.random() < self.settings.p_punctuation:
            form = rng.integers(6)
            if form == 0:
                word += TRAILING_MARKS[rng.integers(len(TRAILING_MARKS))]
            elif form == 1:
                word += "'s"
            elif form == 2:
                word += "-" + self._any_word(rng)
            elif form == 3:
                word = '"' + word + '"'
            elif form == 4:
                word = "(" + word + ")"
            else:
                word = ("#", "@", "&")[rng.integers(3)] + word if rng.random() < 0.5 else word + "&"
        return apply_case(word, case)

    def _any_word(self, rng):
        return self.words[rng.integers(len(self.words))]

    def _letters(self, rng, case):
        low, high = self.settings.letters_length
        n = int(rng.integers(low, min(self.max_len, high) + 1))
        return apply_case("".join(rng.choice(list(string.ascii_lowercase), size=n)), case)

    def _number(self, rng, case):
        if not self.settings.punctuation or rng.random() >= self.settings.p_number_symbols:
            digits = int(rng.integers(1, 7))
            return str(int(rng.integers(10 ** (digits - 1) if digits > 1 else 0, 10 ** digits)))
        form = rng.integers(6)
        if form == 0:
            return f"${rng.integers(1, 1000)}.{rng.integers(100):02d}"
        if form == 1:
            return f"{rng.integers(1, 24)}:{rng.integers(60):02d}"
        if form == 2:
            return f"{rng.integers(1, 100)}%"
        if form == 3:
            return f"{rng.integers(100, 1000)}-{rng.integers(10000):04d}"
        if form == 4:
            return f"{rng.integers(10)}.{rng.integers(1, 100)}"
        n = int(rng.integers(1, 100))
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return apply_case(f"{n}{suffix}", "lower" if case == "title" else case)

    def _code(self, rng, case):
        longest = min(self.max_len, 6)
        if longest < 2:
            return string.digits[rng.integers(10)]
        n = int(rng.integers(2, longest + 1))
        while True:
            chars = [string.digits[rng.integers(10)] if rng.random() < 0.5 else
                     string.ascii_lowercase[rng.integers(26)] for _ in range(n)]
            if any(c.isdigit() for c in chars) and any(c.isalpha() for c in chars):
                return apply_case("".join(chars), case)

"""The one exception a data op raises for a sample that cannot be used."""


class SkipSample(ValueError):
    """An unusable sample (undecodable image, unusable label, missing file).

    ``reason`` is a short fixed phrase, so the skip counts of a run group by cause.
    Training drops the sample and counts it; evaluation scores it as wrong and counts it.
    """

    def __init__(self, reason, detail=None):
        super().__init__(reason if detail is None else f"{reason}: {detail}")
        self.reason, self.detail = reason, detail

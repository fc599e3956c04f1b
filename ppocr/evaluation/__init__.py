"""Evaluation: every sample of each set scored once, however many processes run (``evaluator``),
and the wrongly read samples written out for error analysis (``failures``).
"""

"""A config's trained model, below every job that uses one: its checkpoint files (``checkpoint``:
written as one unit, read back, a crash in between recovered) and the model built from a config with
its charset, weights, preprocessing and post-processing (``from_config``). Training saves and resumes
here; evaluation, inference, export and the service's page load trained weights here.
"""

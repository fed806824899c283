"""The whole-page text model: which lines of a rendered page are the article.

:mod:`.features` turns the lines of a page into numbers that need no DOM (length, stopword density,
punctuation, capitals, separators, position, repetition, the labels earlier cleaners gave, and the
same for the neighbours); :mod:`.model` scores them with a small logistic model trained offline
(``scripts/train_text_model.py``; weights in ``weights.json``) and smooths the scores over the page
with a two-state Viterbi pass, because an article is contiguous and chrome comes in runs.
See ``docs/text-mode.md``.
"""

from __future__ import annotations

from .model import PageModel, Prediction, load_model

__all__ = ["PageModel", "Prediction", "load_model"]

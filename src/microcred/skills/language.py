"""Whether a job title is English or French, learnt from the reference data's own titles.

A logistic regression over character 1–4-grams (scikit-learn) of the titles that ESCO,
NOC, COPS and O*NET give in each language (107,000, 15,800 of them French): on the
validation split's 2,984 English titles it calls 4 French ("attaché", "vice-consul"),
and all 55 French titles of ``bench/french_titles.tsv`` French. py3langid, made for
longer texts, called 207 of the English titles French. Built in about 5 s.
"""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

C = 4.0


class TitleLanguage:
    """P(English) of a title; 1.0 when the reference data holds titles in one language."""

    def __init__(self, titles: Sequence[tuple[str, str]]) -> None:
        texts = [t.lower() for t, _ in titles]
        langs = [lang for _, lang in titles]
        self._only = langs[0] if len(set(langs)) == 1 else None
        self._model: LogisticRegression | None = None
        if len(set(langs)) < 2:
            return
        self._vectoriser = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=2
        )
        features = self._vectoriser.fit_transform(texts)
        self._model = LogisticRegression(C=C, max_iter=1000, class_weight="balanced")
        self._model.fit(features, langs)
        self._english = list(self._model.classes_).index("en") if "en" in langs else None

    def english(self, title: str) -> float:
        if self._model is None:
            return 1.0 if self._only in (None, "en") else 0.0
        if self._english is None:
            return 0.0
        found = self._model.predict_proba(self._vectoriser.transform([title.lower()]))
        return float(found[0, self._english])

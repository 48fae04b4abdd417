"""Language identification (langdetect, deterministic: seed 0).

Only the first :data:`MAX_CHARS` characters are looked at, which keeps a call to a few milliseconds once the
profiles are loaded (the first call loads them, ~0.2 s).
"""

from __future__ import annotations

import threading

__all__ = ["MAX_CHARS", "MIN_LETTERS", "detect_language"]

MAX_CHARS = 2000
MIN_LETTERS = 20
"""Text with fewer letters than this gives ``(None, 0.0)``: too little to tell."""

_factory = None
_lock = threading.Lock()


def _get_factory():  # noqa: ANN202 - langdetect has no type hints
    global _factory
    if _factory is None:
        with _lock:
            if _factory is None:
                from langdetect import DetectorFactory
                from langdetect.detector_factory import PROFILES_DIRECTORY

                DetectorFactory.seed = 0
                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.seed = 0
                _factory = factory
    return _factory


def detect_language(text: str) -> tuple[str | None, float]:
    """``(ISO 639-1 code, probability)`` of ``text``'s language, or ``(None, 0.0)`` if it has too few letters
    or langdetect cannot tell. Chinese comes back as ``"zh"`` (langdetect's zh-cn/zh-tw merged)."""
    if not isinstance(text, str):
        return None, 0.0
    sample = text[:MAX_CHARS]
    if sum(1 for c in sample if c.isalpha()) < MIN_LETTERS:
        return None, 0.0
    from langdetect.lang_detect_exception import LangDetectException

    detector = _get_factory().create()
    detector.set_max_text_length(MAX_CHARS)
    try:
        detector.append(sample)
        ranked = detector.get_probabilities()
    except LangDetectException:
        return None, 0.0
    if not ranked:
        return None, 0.0
    best = ranked[0]
    code = best.lang.split("-", 1)[0]
    # zh-cn / zh-tw split the probability between them
    prob = sum(r.prob for r in ranked if r.lang.startswith("zh")) if code == "zh" else best.prob
    return code, round(min(float(prob), 1.0), 4)

"""factdesk.langid: deterministic, fast language identification."""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.langid import MAX_CHARS, detect_language

SEED = Path("/work/shared/seeds/000_19727acd434fd108.txt")

GERMAN = (
    "Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. "
    "Nach Angaben des Wirtschaftsministeriums sollen bis zum Jahr 2030 deutlich mehr Windräder und "
    "Solaranlagen gebaut werden. Kritiker aus der Opposition bemängelten, dass die Finanzierung noch "
    "nicht geklärt sei und die Strompreise für Verbraucher weiter steigen könnten."
)
SPANISH = (
    "El gobierno aprobó el miércoles una nueva ley para fomentar las energías renovables en todo el país. "
    "Según el ministerio de economía, hasta el año 2030 se construirán muchos más parques eólicos y "
    "plantas solares. La oposición criticó que la financiación todavía no está clara y que los precios "
    "de la electricidad podrían seguir subiendo para los consumidores."
)
FRENCH = (
    "Le gouvernement a adopté mercredi une nouvelle loi visant à encourager les énergies renouvelables. "
    "Selon le ministère de l'Économie, beaucoup plus d'éoliennes et de centrales solaires seront "
    "construites d'ici 2030. L'opposition a critiqué le fait que le financement n'est pas encore assuré "
    "et que les prix de l'électricité pourraient continuer à augmenter pour les consommateurs."
)
ENGLISH = (
    "The government approved a new law on Wednesday to promote renewable energy across the country. "
    "According to the economy ministry, many more wind farms and solar plants will be built by 2030. "
    "The opposition criticised that the funding was still unclear and that electricity prices for "
    "consumers could keep rising."
)


@pytest.mark.skipif(not SEED.exists(), reason="seed corpus not present")
def test_langid_seed_article_is_english() -> None:
    code, prob = detect_language(SEED.read_text(encoding="utf-8"))
    assert code == "en"
    assert prob >= 0.95


@pytest.mark.parametrize(
    ("text", "expected"),
    [(GERMAN, "de"), (SPANISH, "es"), (FRENCH, "fr"), (ENGLISH, "en")],
    ids=["de", "es", "fr", "en"],
)
def test_langid_identifies_paragraph(text: str, expected: str) -> None:
    code, prob = detect_language(text)
    assert code == expected
    assert 0.9 <= prob <= 1.0


@pytest.mark.parametrize(
    "text", ["", "   ", "12,345 — 67.8% (2017)", "OK", "Hi there", "!!! ??? ...", "a1 b2 c3 d4 e5"]
)
def test_langid_too_few_letters(text: str) -> None:
    assert detect_language(text) == (None, 0.0)


def test_langid_deterministic() -> None:
    mixed = GERMAN[:120] + " " + FRENCH[:120]
    assert len({detect_language(mixed) for _ in range(5)}) == 1


def test_langid_reads_only_the_start() -> None:
    text = (ENGLISH + " ") * (MAX_CHARS // len(ENGLISH) + 1)
    assert len(text) > MAX_CHARS
    assert detect_language(text + GERMAN * 200)[0] == "en"
    assert detect_language(GERMAN * 10 + text * 3)[0] == "de"


@pytest.mark.parametrize("text", [GERMAN, SPANISH, FRENCH, GERMAN + " " + ENGLISH[:80]])
def test_langid_fast_path_leaves_other_languages_to_langdetect(text: str) -> None:
    import re

    from factdesk import langid

    words = re.findall(r"[a-z']+", text.lower())
    assert sum(w in langid._ENGLISH_ONLY for w in words) < langid.FAST_MIN_SHARE * len(words)


def test_langid_plain_english_does_not_load_langdetect() -> None:
    import subprocess
    import sys

    code = ("import sys; from factdesk.langid import detect_language; "
            f"r = detect_language({ENGLISH * 2!r}); print(r, 'langdetect' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "('en', 1.0) False"

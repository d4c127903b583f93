"""Stances in Italian, Portuguese and Dutch: a claim and its negation, or a claim to do away with
something and one to keep it, never share a point; restatements of one claim still do.

Every answer is written for the test (English glosses beside each).
"""

from __future__ import annotations

import pytest

from app.plenary import language
from app.plenary.grouping import group_items
from tests.plenary.written import items, together, wording_of

# Per language: two restatements of a claim (k00, k01), its negation (k02), the contrary claim
# (k03), and two restatements of another claim (k04, k05) with its negation (k06).
CLAIMS = {
    "italian": (
        "La tassa sui rifiuti va abolita.",  # The waste tax must be abolished.
        "Bisogna abolire la tassa sui rifiuti.",  # We must abolish the waste tax.
        "La tassa sui rifiuti non va abolita.",  # The waste tax must not be abolished.
        "Bisogna mantenere la tassa sui rifiuti.",  # We must keep the waste tax.
        "Servono piste ciclabili sicure lungo il fiume.",  # Safe cycle lanes along the river are needed.
        "Piste ciclabili sicure lungo il fiume, subito.",  # Safe cycle lanes along the river, now.
        "Nessuna pista ciclabile lungo il fiume.",  # No cycle lane along the river.
    ),
    "portuguese": (
        "O imposto predial deve ser abolido.",  # The property tax must be abolished.
        "É preciso abolir o imposto predial.",  # The property tax has to be abolished.
        "O imposto predial não deve ser abolido.",  # The property tax must not be abolished.
        "Devemos manter o imposto predial.",  # We must keep the property tax.
        "Queremos ciclovias seguras ao longo do rio.",  # We want safe cycle lanes along the river.
        "Ciclovias seguras ao longo do rio, já.",  # Safe cycle lanes along the river, now.
        "Nao queremos ciclovias ao longo do rio.",  # We do not want cycle lanes along the river (no accent).
    ),
    "dutch": (
        "De toeristenbelasting moet worden afgeschaft.",  # The tourist tax must be abolished.
        "Schaf de toeristenbelasting af.",  # Abolish the tourist tax.
        "De toeristenbelasting moet niet worden afgeschaft.",  # The tourist tax must not be abolished.
        "De toeristenbelasting moet behouden blijven.",  # The tourist tax must be kept.
        "Veilige fietspaden langs de rivier.",  # Safe cycle paths along the river.
        "Wij willen veilige fietspaden langs de rivier.",  # We want safe cycle paths along the river.
        "Geen fietspaden langs de rivier.",  # No cycle paths along the river.
    ),
}


@pytest.mark.parametrize("language_name", sorted(CLAIMS))
def test_opposite_stances_never_share_a_point_and_restatements_still_do(language_name: str) -> None:
    groups = group_items(items(*CLAIMS[language_name]))

    assert together(groups, "k00", "k01")
    assert together(groups, "k04", "k05")
    for claim, opposite in (("k00", "k02"), ("k01", "k02"), ("k00", "k03"), ("k01", "k03"), ("k02", "k03")):
        assert not together(groups, claim, opposite), (claim, opposite)
    for claim in ("k04", "k05"):
        assert not together(groups, claim, "k06"), claim


@pytest.mark.parametrize(
    ("negated", "plain"),
    [
        ("Non vogliamo parcheggi in piazza.", "Vogliamo parcheggi in piazza."),
        ("Nunca mais carros na praça.", "Mais carros na praça."),
        ("Er komen nooit parkeerplaatsen op het plein.", "Er komen parkeerplaatsen op het plein."),
        ("Niemand wil een parkeergarage.", "Iedereen wil een parkeergarage."),
    ],
)
def test_negations_of_the_three_languages_are_read(negated: str, plain: str) -> None:
    wording = wording_of(negated, plain)

    assert wording.negated.tolist() == [True, False]


def test_a_non_prefix_is_no_negation_but_the_italian_non_is() -> None:
    wording = wording_of(
        "Elections should be run by a non-partisan commission.",
        "Le elezioni non devono essere gestite dai partiti.",  # Elections must not be run by the parties.
    )

    assert wording.negated.tolist() == [False, True]


@pytest.mark.parametrize(
    ("narrow", "broad"),
    [
        ("Auto in centro solo per i residenti.", "Auto in centro per i residenti."),
        ("Carros no centro apenas para moradores.", "Carros no centro para moradores."),
        ("Auto's in het centrum alleen voor bewoners.", "Auto's in het centrum voor bewoners."),
    ],
)
def test_limiting_words_of_the_three_languages_are_read(narrow: str, broad: str) -> None:
    assert wording_of(narrow, broad).limited.tolist() == [True, False]


@pytest.mark.parametrize(
    ("away", "keeping"),
    [
        ("chiudere", "mantenere"),
        ("abolizione", "rafforzare"),
        ("vietato", "tutelare"),
        ("fechar", "manter"),
        ("proibir", "fortalecer"),
        ("revogação", "ampliar"),
        ("afschaffen", "behouden"),
        ("sluiten", "beschermen"),
        ("bezuinigen", "uitbreiden"),
    ],
)
def test_contrary_verbs_of_the_three_languages_point_opposite_ways(away: str, keeping: str) -> None:
    assert language.is_doing_away(language.normalise(away)) and not language.is_keeping(language.normalise(away))
    assert language.is_keeping(language.normalise(keeping)) and not language.is_doing_away(language.normalise(keeping))


def test_words_of_other_languages_that_look_like_a_negation_are_left_out() -> None:
    # The German "Mai" (May) and "noch" (still), the French "né" (born): no stance.
    wording = wording_of(
        "Im Mai soll der Markt noch länger offen sein.",
        "Il est né ici et veut un marché ouvert.",
    )

    assert wording.negated.tolist() == [False, False]

"""Name normalization: one form for lookups, one identity key for matching spellings."""

import pytest

from claims.domain.names import (
    family_name_key,
    name_match_key,
    name_query,
    names_resemble,
    normalize_name,
    sort_name,
    strip_honorifics,
)


@pytest.mark.parametrize(
    "spelling", ["Choi Ryong-hae", "Ryong-Hae Choi", "choi ryong hae", "CHOI  Ryong‐Hae", "Choi, Ryong-hae"]
)
def test_normalized_form_ignores_case_hyphens_spaces_and_order(spelling):
    assert normalize_name(spelling) == "choi hae ryong"


def test_normalized_form_strips_accents_and_apostrophes():
    assert normalize_name("Zoë O’Brien") == normalize_name("zoe obrien") == "obrien zoe"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Choi Ryong-hae", "Choe Ryong Hae"),
        ("Choe Ryong Hae", "Ryong-Hae Choi"),
        ("Lee Jai-chun", "Yi Jai-chun"),
        ("Rhee Jai Chun", "Lee Jai-chun"),
        ("Park Byung Hwan", "Pak Byung-hwan"),
        ("Jung Sang-jang", "Sang-Jang Jung"),
        ("Chung Sang Jang", "Jeong Sang-jang"),
        ("Kim Jong-un", "Kim Jong Un"),
        ("Professor Andrei Lankov", "Andrei Lankov"),
    ],
)
def test_match_key_folds_romanization_and_order(a, b):
    assert name_match_key(a) == name_match_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong Un", "Kim Jong Il"),
        ("Kim Jong Un", "Kim Yo Jong"),
        ("Kim Seung", "Kim Jong Un"),
        ("Andrei Lankov", "Andrei Kozyrev"),
        ("Cho Han-bum", "Chang Yong-seok"),
    ],
)
def test_match_key_keeps_different_people_apart(a, b):
    assert name_match_key(a) != name_match_key(b)


def test_name_query_gives_each_part_as_written_and_folded():
    assert name_query("Ryong-Hae  Choe") == [("ryong", "ryong"), ("hae", "hae"), ("choe", "choi")]
    assert name_query("Professor Pak") == [("pak", "park")]
    assert name_query("  ") == []


def test_strip_honorifics_keeps_a_lone_word():
    assert strip_honorifics("Mr Muraviev") == "Muraviev"
    assert strip_honorifics("Dr. Jane Roe") == "Jane Roe"
    assert strip_honorifics("President") == "President"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Andrei Lankov", "Lankov, Andrei"),
        ("Cho Han-bum", "Cho Han-bum"),
        ("Park Byung Hwan", "Park Byung Hwan"),
        ("Seung Kim", "Kim, Seung"),
        ("Sang-Jang Jung", "Jung, Sang-Jang"),
        ("Madonna", "Madonna"),
        ("Go Myong-hyun", "Go Myong-hyun"),  # family name Go, written first: sorts under G
    ],
)
def test_sort_name(name, expected):
    assert sort_name(name) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [("Warren E. Buffett", "Elizabeth Warren"), ("John Dickey", "John D. Podesta")],
)
def test_a_name_word_in_another_place_is_not_a_resemblance(a, b):
    assert not names_resemble(a, b)


@pytest.mark.parametrize(
    ("name", "family"), [("Cho Han-bum", "cho"), ("Andrei Lankov", "lankov"), ("Mr. Barack Obama", "obama")]
)
def test_family_name_key(name, family):
    assert family_name_key(name) == family

import pytest

from factdesk.numbers import parse_number


@pytest.mark.parametrize(
    "text, value",
    [("1,000", 1000), ("3000", 3000), ("45,000", 45000), ("2.5", 2.5), ("one thousand", 1000),
     ("forty-five thousand", 45000), ("one hundred and twenty", 120), ("3.5 million", 3_500_000),
     ("twelve", 12), ("two billion", 2e9), ("a thousand", 1000), ("an hundred", 100),
     ("6 1/2", 6.5), ("3/4", 0.75), ("1/3", 1 / 3)],
)
def test_numbers_parse(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "many", "one dog", "3 apples", "a dog", "a"])
def test_numbers_reject_non_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(("value", "some"), [(3000, "three thousand"), (1000, "a thousand"), (45000, "forty five thousand"),
                                             (7e9, "seven billion"), (300, "three hundred"), (2_500_000, None),
                                             (12, None)])
def test_numbers_spoken_forms_read_back_as_the_value(value, some):
    from factdesk.numbers import spoken_forms

    forms = spoken_forms(value)
    assert (some in forms) if some else forms == []
    assert all(parse_number(f) == value for f in forms)

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

from datetime import date

import pytest

from factdesk.temporal import find_time_expressions, parse_published

PUB = date(2017, 12, 27)  # a Wednesday


@pytest.mark.parametrize(
    "text, expected",
    [
        ("On December 5th it was estimated", "2017-12-05"),
        ("present in the region 2 years ago", "2015"),
        ("since three weeks ago", "2017-12-06"),
        ("the Wednesday announcement", "2017-12-27"),
        ("Russia declared victory on Monday", "2017-12-25"),
        ("it happened yesterday", "2017-12-26"),
        ("prices rose last month", "2017-11"),
        ("in 2015 the group peaked", "2015"),
        ("In 2015, the group peaked", "2015"),
        ("Since November the group shrank", "2017-11"),
        ("by March 2016 it had", "2016-03"),
        ("on 4 July 2016", "2016-07-04"),
        ("the deal signed 2016-05-01", "2016-05-01"),
        ("a month ago", "2017-11"),
        ("At the start of the month the coalition had reckoned", "2017-12"),
        ("by the end of the year", "2017"),
        ("The count stood at some 3,000 earlier in the month.", "2017-12"),
        ("Three weeks earlier, its estimate had been three thousand.", "2017-12-06"),
        ("At the start of December, the coalition had put the number", "2017-12"),
        ("a steep fall from early December, when officials said some 3,000 remained", "2017-12"),
        ("Late November saw 2,000.", "2017-11"),
    ],
)
def test_temporal_resolves_against_publication_date(text, expected):
    found = find_time_expressions(text, PUB)
    assert [t.date for t in found] == [expected]


def test_temporal_december_in_january_article_is_last_year():
    (t,) = find_time_expressions("On December 5 officials said", date(2018, 1, 3))
    assert t.date == "2017-12-05"


@pytest.mark.parametrize("text", ["2 years ago", "on Wednesday", "last year", "December 5th"])
def test_temporal_relative_dates_unresolved_without_publication_date(text):
    (t,) = find_time_expressions(text, None)
    assert t.date is None


def test_temporal_absolute_dates_resolve_without_publication_date():
    (t,) = find_time_expressions("on December 5, 2017", None)
    assert t.date == "2017-12-05"


@pytest.mark.parametrize("value, expected", [("2017-12-27", date(2017, 12, 27)), ("2017-12-27T10:00:00", date(2017, 12, 27)), (None, None), ("soon", None)])
def test_temporal_parse_published(value, expected):
    assert parse_published(value) == expected

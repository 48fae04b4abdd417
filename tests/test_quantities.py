import pytest

from factdesk.stages.quantities import find_quantities


def q(text, published="2017-12-27"):
    return find_quantities(text, 0, len(text), published)


@pytest.mark.parametrize(
    "text, value, comparator, entity, unit",
    [
        ("there are fewer than one thousand ISIS fighters/jihadists left", 1000, "<", "ISIS fighters", None),
        ("Fewer than a thousand Islamic State fighters are left", 1000, "<", "Islamic State fighters", None),
        ("Fewer than 1,000 IS fighters remain", 1000, "<", "IS fighters", None),
        ("FEWER THAN 1,000 JIHADISTS LEFT IN SYRIA", 1000, "<", "JIHADISTS", None),
        ("less than 1,000 ISIS terrorists in our area", 1000, "<", "ISIS terrorists", None),
        ("more than 200 people were hurt", 200, ">", "people", None),
        ("at least 12 buses", 12, ">=", "buses", None),
        ("nearly 5,000 homes lost power", 5000, "~", "homes", None),
        ("unemployment fell to 4.1% overall", 4.1, "=", None, "percent"),
        ("the city spent $3.5 million on it", 3_500_000, "=", None, "USD"),
        ("thousands of ISIS fighters escaped", 1000, ">", "ISIS fighters", None),
        ("up to 30 percent of voters", 30, "<=", "voters", "percent"),
        ("the figure is down from roughly 3,000 earlier in December", 3000, "~", None, None),
        ("about 3,000 last week", 3000, "~", None, None),
        # rates: what the number is counted per is part of its unit
        ("they paid $525 per square foot", 525, "=", None, "USD per square foot"),
        ("HBO Now would cost $15/month", 15, "=", None, "USD per month"),
        ("a $15 monthly fee", 15, "=", "monthly fee", "USD per month"),
        ("about 3,000 people a day crossed", 3000, "~", "people", "per day"),
        ("killing at least 67 people a year ago", 67, ">=", "people", None),  # a date, not a rate
        ("shares fell to $5 each", 5, "=", None, "USD"),
        ("wine at upward of $15,000 per bottle", 15000, "=", None, "USD per bottle"),  # after "per", any noun
        ("gold sells for $905 per troy ounce", 905, "=", None, "USD per troy ounce"),
        ("turnout rose 5 per cent", 5, "=", None, "percent"),
        # "over" as a verb's particle is no comparator; after other verbs it is one
        ("a man ran over two Canadian soldiers", 2, "=", "Canadian soldiers", None),
        ("police handed over 50 prisoners", 50, "=", "prisoners", None),
        ("the attacks killed over 100 people", 100, ">", "people", None),
        ('"[A]t least 10 ISIS fighters were caught"', 10, ">=", "ISIS fighters", None),  # an editor's bracket
        # a whole number and a fraction is one number; a fraction alone is one too
        ("any catfish over 6 1/2 feet is rare", 6.5, ">", None, "feet"),
        ("about 3/4 of voters agreed", 0.75, "~", "voters", None),
    ],
)
def test_quantities_value_comparator_entity_unit(text, value, comparator, entity, unit):
    (got,) = q(text)
    assert (got.value, got.comparator, got.entity, got.unit) == (value, comparator, entity, unit)
    assert text[got.start : got.end] == got.text


@pytest.mark.parametrize(
    "text",
    ["In 2017 the war ended.", "One of the officials spoke.", "It started three weeks ago.", "On December 5th it rained."],
)
def test_quantities_ignores_years_dates_and_pronoun_one(text):
    assert q(text) == []


def test_quantities_each_number_takes_its_nearest_date():
    text = ("On December 5th it was estimated that 3000 ISIS jihadists were believed to be in Syria and Iraq, "
            "not to mention the 45,000 fighters present in the region 2 years ago, when ISIS reached its peak.")
    got = {x.value: x.date for x in q(text)}
    assert got == {3000: "2017-12-05", 45000: "2015"}


@pytest.mark.parametrize("text, dates", [
    ("On March 3rd the council was told that only 12 of the 60 new buses were in service, down from 45 two years "
     "ago.", {12: "2024-03-03", 60: "2024-03-03", 45: "2022"}),
    ("The firm hired 300 workers, the report said on Tuesday.", {300: "2024-03-05"}),
    ("In 2015, 45,000 fighters were present; in 2017 fewer than 1,000 remained.", {45000: "2015", 1000: "2017"}),
    # a time after another number is that number's: "down from 3,000 in early December" does not date the 1,000
    ("Fewer than 1,000 fighters remain in Iraq and Syria, down from 3,000 in early December, the coalition said on "
     "Wednesday.", {1000: None, 3000: "2023-12"}),
    ("The fund lost 3 million dollars in 2016 and 5 million in 2017.", {3e6: "2016", 5e6: "2017"}),
    ("12 of the 60 buses were in service, down from 45 two years ago.", {12: None, 60: None, 45: "2022"}),
    # a later clause about another figure dates that figure, not this number
    ("Fewer than 1,000 fighters remain, a steep fall from the figure it gave three weeks ago.", {1000: None}),
    ("The firm hired 300 workers, more than it hired last year.", {300: None}),
])
def test_quantities_a_date_in_a_later_clause_dates_only_that_clause(text, dates):
    assert {x.value: x.date for x in q(text, published="2024-03-08")} == dates


def test_quantities_no_date_without_time_expression():
    (got,) = q("there are fewer than 1,000 fighters left")
    assert got.date is None


@pytest.mark.parametrize(("text", "entity"), [
    ("The militias number more than 100,000 in total.", "militias"),
    ("Its fighters now number about 3,000.", "fighters"),
    ("Casualties totalled 300.", "Casualties"),
    ("The number of fighters is 3,000.", None),  # "number" as a noun names nothing before the quantity
    ("Fewer than 1,000 remain.", None),
    ("The bills total $5,000.", None),  # money keeps its own unit, not a subject
    # a number restating the one before it counts the same thing
    ("At least 817 civilians were killed, keeping its official tally below 1,000.", "civilians"),
])
def test_quantities_subject_of_number_verb_is_the_counted_thing(text, entity):
    assert [q.entity for q in find_quantities(text, 0, len(text), None)][-1:] == [entity]


@pytest.mark.parametrize("text", ["Only a few hundred fighters remain inside Raqqa.", "Several thousand people marched."])
def test_quantities_loose_counts_are_not_quantities(text):
    assert find_quantities(text, 0, len(text), None) == []


@pytest.mark.parametrize(("text", "value"), [
    ("Some 3 000 fighters were left.", 3000), ("It had 45 000 fighters at its peak.", 45000),
    ("Under 1K fighters remain.", 1000), ("About 1 000 000 people live there.", 1_000_000),
])
def test_quantities_thousands_set_off_by_spaces_or_k(text, value):
    assert [q.value for q in find_quantities(text, 0, len(text), None)] == [value]


def test_quantities_karat_is_not_thousands():
    text = "The watch is made of 18k gold."
    assert [q.value for q in find_quantities(text, 0, len(text), None)] != [18000]


@pytest.mark.parametrize(("text", "values"), [
    ("On Dec. 5 300 soldiers arrived.", [300]),  # a day after its month, then the count
    ("By March 3 200 people had fled.", [200]),
])
def test_quantities_a_day_is_not_a_thousands_group(text, values):
    assert [q.value for q in find_quantities(text, 0, len(text), "2017-12-27")] == values


def test_quantities_slashes_that_are_no_fractions_stay_two_numbers():
    assert [x.value for x in q("open 24/7 and a 50/50 chance")] == [24, 7, 50, 50]

"""Dates from context: `dates_in` over sentences written here, against a `DateContext`.

Every case gives the document's date; a case passes when one mention has the expected reading. Each
kind of expression has sentences that must give the date and one that must not. Conventions decided
here (see the module's notes): a year in parentheses right after a number or a name ("resolution 822
(1993)") is that thing's year, relation "of", and does not become the text's year; a period named
only vaguely ("overnight", "last week") is given at the precision all its days share; seasons are
years; "N years ago" is a year, an anniversary keeps the publication's month and day.
"""

import random

import pytest

from docket.extract.dates import DateContext, DateMention, dates_in, find_dates


def read(text: str, published: str | None = "2021-05-30", established: int | None = None) -> list[DateMention]:
    return dates_in(text, DateContext(published, established))


def when(text: str, published: str | None = "2021-05-30", established: int | None = None) -> list[tuple]:
    """(start, end, precision, ongoing, relation) of every mention."""
    return [(m.iso, m.iso_end, m.precision, m.ongoing, m.relation) for m in read(text, published, established)]


def starts(text: str, published: str | None = "2021-05-30", established: int | None = None) -> list[str | None]:
    return [m.iso for m in read(text, published, established)]


# --- full dates, in every common written form ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The district was occupied on 2 April 1993 after heavy shelling.",
        "The district was occupied on April 2, 1993, after heavy shelling.",
        "Occupied: 02.04.1993.",
        "The order is dated 1993-04-02 in the archive.",
        "It fell on the 2nd of April 1993.",
        "On Friday, 2 April 1993 the town fell.",
        "APRIL 2, 1993 — the town fell.",
    ],
)
def test_full_dates(text):
    assert ("1993-04-02", None, "day", False, "on") in when(text)


def test_a_full_date_is_its_own_text_span():
    text = "Shelling resumed on 2 April 1993 at dawn."
    (m,) = dates_in(text, DateContext("2021-05-30"), offset=100)
    assert (m.start, m.end, m.text) == (120, 132, "2 April 1993")
    assert m.when == {"start": "1993-04-02", "end": None, "precision": "day", "ongoing": False}


@pytest.mark.parametrize("text", ["The log shows 31.02.2020 as an entry.", "Item 1993-14-02 was filed.", "Version 2.4.1.3 shipped."])
def test_impossible_or_numeric_non_dates(text):
    assert [m for m in read(text) if m.precision == "day"] == []


def test_day_first_unless_the_second_number_cannot_be_a_month():
    assert starts("Signed 04/05/2020.") == ["2020-05-04"]
    assert starts("Signed 04/25/2020.") == ["2020-04-25"]


# --- month and year, bare years in a date-like position --------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [("The offensive began in April 1993.", "1993-04"), ("Talks stalled in mid-May 2020.", "2020-05"), ("Most had left in late 2021.", "2021")],
)
def test_month_and_year(text, iso):
    assert iso in starts(text)


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("The town was taken in 1993.", ("1993", None, "year", False, "in")),
        ("The mine has operated since 2002.", ("2002", None, "year", True, "since")),
        ("The war (1992) ended in a truce.", ("1992", None, "year", False, "in")),
        ("In 2018, exports doubled.", ("2018", None, "year", False, "in")),
    ],
)
def test_bare_years(text, reading):
    assert reading in when(text)


@pytest.mark.parametrize(
    "text",
    [
        "The Council adopted resolution 822 without a vote.",
        "Some 1,993 people were registered.",
        "Troops have detained 2,650 Palestinians.",
        "Aid reached 2000 villages in the region.",
        "A convoy of 1995 trucks crossed.",
    ],
)
def test_numbers_that_are_not_years(text):
    assert read(text) == []


def test_a_resolutions_year_is_its_own_and_does_not_set_the_texts_year():
    (m,) = read("The demands of resolution 822 (1993) were ignored.")
    assert (m.iso, m.relation, m.sets_year) == ("1993", "of", None)
    ctx = DateContext("2021-05-30")
    ctx.saw(m)
    assert ctx.established_year is None


# --- a day or month without a year: the text's year, else the publication's ----------------------


def test_a_month_day_after_publication_is_of_the_year_before():
    assert ("2021-04-13", None, "day", True, "since") in when("Forces have detained 300 people since April 13.", "2021-05-30")
    assert "2020-12-27" in starts("Two men were arrested on 27 December.", "2021-01-05")


def test_a_month_alone_takes_the_publication_year_or_the_one_before():
    assert starts("Fighting broke out in May.", "2021-05-30") == ["2021-05"]
    assert starts("The ceasefire was broken in November.", "2021-05-30") == ["2020-11"]
    assert starts("Shops reopened earlier in May.", "2021-05-30") == ["2021-05"]


def test_last_and_this_month():
    assert starts("The dam was hit last May.", "2021-05-30") == ["2020-05"]
    assert starts("The dam was hit last March.", "2021-05-30") == ["2021-03"]
    assert starts("The dam was hit this May.", "2021-05-30") == ["2021-05"]
    assert starts("It was destroyed between last fall and April of this year.", "2024-06-24") == ["2023"]
    assert when("It was destroyed between last fall and April of this year.", "2024-06-24")[0][1] == "2024-04"


def test_the_text_establishes_the_year():
    # within the sentence
    assert starts("In April 1993 the district fell; on 27 September the last village was burnt.") == ["1993-04", "1993-09-27"]
    # across sentences, through the context
    ctx = DateContext("2018-04-02")
    ctx.saw(*dates_in("The offensive began on 27 March 1993.", ctx))
    assert [m.iso for m in dates_in("On 2 April the district fell.", ctx)] == ["1993-04-02"]
    # given by the caller
    assert starts("On 30 April the Council met.", "2018-04-02", established=1993) == ["1993-04-30"]


def test_a_year_in_passing_or_in_the_future_does_not_set_the_texts_year():
    ctx = DateContext("2022-10-25")
    ctx.saw(*dates_in("Mines made in 2021 were found.", ctx))
    ctx.saw(*dates_in("The republic will cease to exist on January 1, 2024.", ctx))
    assert ctx.established_year is None
    assert [m.iso for m in dates_in("More were found on October 3.", ctx)] == ["2022-10-03"]


def test_the_future_takes_the_coming_date():
    assert starts("Talks will resume on 5 June.", "2021-05-30") == ["2021-06-05"]
    assert starts("The talks are scheduled for Tuesday.", "2021-05-30") == ["2021-06-01"]


@pytest.mark.parametrize(
    "text",
    ["She may come tomorrow if the road opens.", "Theresa May said the talks would go on.", "Rebels of the 23 March Movement advanced.", "The march lasted hours."],
)
def test_may_and_march_that_are_no_months(text):
    assert [m for m in read(text) if m.precision in ("day", "month")] == []


# --- weekdays and the days around publication ------------------------------------------------------
# 30 May 2021 is a Sunday.


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Police raided the camp on Sunday.", "2021-05-30"),
        ("Earlier Sunday, a leader was arrested.", "2021-05-30"),
        ("Shelling began Monday night.", "2021-05-24"),
        ("The ministry said Friday that talks had failed.", "2021-05-28"),
        ("Friday's strike killed four.", "2021-05-28"),
        ("The camp was raided last Sunday.", "2021-05-23"),
        ("Troops will withdraw next Monday.", "2021-05-31"),
    ],
)
def test_weekdays(text, iso):
    assert iso in starts(text)


@pytest.mark.parametrize("text", ["Crowds marked Good Friday in the old city.", "Markets open on Fridays."])
def test_weekdays_that_are_no_dates(text):
    assert read(text) == []


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Two shells hit the school yesterday.", "2021-05-29"),
        ("The ministry said today that the border is closed.", "2021-05-30"),
        ("A vigil is planned for tonight.", "2021-05-30"),
        ("Nine were arrested in raids last night.", "2021-05-29"),
        # overnight: the night before publication, whose two days share only the month
        ("Nine were arrested in overnight raids.", "2021-05"),
        ("Rockets were fired overnight.", "2021-05"),
    ],
)
def test_days_around_publication(text, iso):
    assert iso in starts(text)


def test_overnight_across_a_month_keeps_what_both_days_share():
    assert starts("Rockets were fired overnight.", "2021-06-01") == ["2021"]


def test_relative_days_need_a_publication_date():
    assert when("Two shells hit the school yesterday.", None) == [(None, None, None, False, "relative")]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Hundreds fled last week.", "2021-05"),
        ("Prices rose earlier this week.", "2021-05"),
        ("Hundreds fled over the weekend.", "2021-05"),
        ("The mine closed last month.", "2021-04"),
        ("The mine closed last year.", "2020"),
        ("More than 400 were displaced this year alone.", "2021"),
    ],
)
def test_weeks_months_years_around_publication(text, iso):
    assert iso in starts(text)


def test_the_last_week_of_a_siege_is_no_week_before_publication():
    assert read("Food ran out in the last week of the siege.") == []


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("The town was seized two years ago.", ("2019", None, "year", False, "relative")),
        ("The town was seized three days ago.", ("2021-05-27", None, "day", False, "relative")),
        ("The push began more than eight months ago.", ("2020-09", None, "month", False, "relative")),
        ("A week ago the bridge was blown up.", ("2021-05-23", None, "day", False, "relative")),
        ("On this day three years ago the city fell.", ("2018-05-30", None, "day", False, "anniversary")),
        ("Forty people died in the past 24 hours.", ("2021-05-29", "2021-05-30", "day", False, "relative")),
        ("Over the past two weeks 30 homes burnt.", ("2021-05-16", "2021-05-30", "day", False, "relative")),
        ("They have lived in tents for the past three years.", ("2018", None, "year", True, "since")),
    ],
)
def test_arithmetic_on_the_publication_date(text, reading):
    assert reading in when(text)


def test_ago_without_a_count_or_a_date_gives_no_date():
    assert starts("The town was seized a few days ago.") == [None]
    assert starts("The town was seized two years ago.", None) == [None]


# --- anniversaries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "iso"),
    [
        ("Today marks the 25th anniversary of the occupation.", "2018-04-02", "1993-04-02"),
        ("A statement on the second anniversary of the annexation.", "2016-02-22", "2014-02-22"),
        ("Residents gathered to mark 25 years since the massacre.", "2020-08-28", "1995-08-28"),
        ("It has been six months since the invasion began.", "2022-08-24", "2022-02-24"),
        ("On the twenty-fifth anniversary of the siege, bells rang.", "2017-04-05", "1992-04-05"),
    ],
)
def test_anniversaries(text, published, iso):
    assert (iso, None, "day", False, "anniversary") in when(text, published)


def test_an_anniversary_without_its_number_is_no_date():
    assert read("Crowds gathered on the anniversary of the massacre.") == []


# --- dates counted from the last date the text gave -----------------------------------------------


def _after(first: str, then: str) -> list[str | None]:
    ctx = DateContext("2018-04-02")
    ctx.saw(*dates_in(first, ctx))
    return [m.iso for m in dates_in(then, ctx)]


@pytest.mark.parametrize(
    ("then", "iso"),
    [
        ("A year later the last villagers left.", "1994"),
        ("Two days later the pass was closed.", "1993-04-04"),
        ("The next day the pass was closed.", "1993-04-03"),
        ("Four days earlier, monitors had left.", "1993-03-29"),
        ("Two monks were killed that day.", "1993-04-02"),
    ],
)
def test_counted_from_the_last_date(then, iso):
    assert _after("The district was occupied on 2 April 1993.", then) == [iso]


def test_since_then_is_ongoing_from_the_last_date():
    ctx = DateContext("2018-04-02")
    ctx.saw(*dates_in("The district was occupied on 2 April 1993.", ctx))
    assert [(m.iso, m.ongoing, m.relation) for m in dates_in("It has been held since then.", ctx)] == [("1993-04-02", True, "since")]


def test_the_weeks_that_followed_are_a_range():
    assert [(m.iso, m.iso_end) for m in dates_in("In the twelve weeks that followed, thousands fled.", _ctx_after("On 24 March 1999 the campaign began."))] == [
        ("1999-03-24", "1999-06-16")
    ]


def _ctx_after(first: str) -> DateContext:
    ctx = DateContext(None)
    ctx.saw(*dates_in(first, ctx))
    return ctx


def test_the_last_date_given_is_kept_for_sentences_without_one():
    ctx = DateContext("2024-04-25")
    assert ctx.last_date is None
    ctx.saw(*dates_in("Soldiers killed 40 villagers on February 25, 2024, the group said today.", ctx))
    ctx.saw(*dates_in("Abuses have grown since 2015.", ctx))
    assert ctx.last_date == "2024-04-25"  # "today", the latest day given; "since 2015" is no day
    ctx.saw(*dates_in("Soro is a village in Thiou district.", ctx))
    assert ctx.last_date == "2024-04-25"


def test_later_without_an_earlier_date_gives_no_date():
    assert starts("A year later the last villagers left.") == [None]


# --- seasons ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "reading"),
    [
        ("Sites destroyed since fall 2023 were counted.", "2024-06-24", ("2023", None, "year", True, "since")),
        ("A village was leveled last fall.", "2024-06-24", ("2023", None, "year", False, "in")),
        ("The talks collapsed in the summer of 2020.", "2024-06-24", ("2020", None, "year", False, "in")),
        ("The roads were cut last spring.", "2024-06-24", ("2024", None, "year", False, "in")),
        ("The roads were cut last summer.", "2024-07-10", ("2023", None, "year", False, "in")),
    ],
)
def test_seasons(text, published, reading):
    assert reading in when(text, published)


@pytest.mark.parametrize("text", ["Protests spread during the Arab Spring.", "After the fall of Kabul, many fled.", "Prices fall when the roads open."])
def test_seasons_that_are_no_dates(text):
    assert read(text, "2024-06-24") == []


# --- ranges, since, until, by -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "reading"),
    [
        ("The town was besieged from 5 to 9 May 2022.", "2022-06-01", ("2022-05-05", "2022-05-09", "day", False, "range")),
        ("The town was besieged 5-9 May.", "2022-06-01", ("2022-05-05", "2022-05-09", "day", False, "range")),
        ("Forces occupied the town from March 5 to 31, 2022.", "2022-06-01", ("2022-03-05", "2022-03-31", "day", False, "range")),
        ("Attacks on February 24 and 25 killed dozens.", "2024-04-25", ("2024-02-24", "2024-02-25", "day", False, "range")),
        ("Fighting raged between April and June 1993.", "2018-04-02", ("1993-04", "1993-06", "month", False, "range")),
        ("The war of 1992–1994 displaced thousands.", "2018-04-02", ("1992", "1994", "year", False, "range")),
        ("The mine was worked from 2020 until 2023.", "2024-01-01", ("2020", "2023", "year", False, "range")),
        ("Prices tripled between 1991 and 1994.", "2024-01-01", ("1991", "1994", "year", False, "range")),
        ("From 24 February 2022 to 23 August 2022, the mission recorded 5,614 deaths.", "2022-08-24", ("2022-02-24", "2022-08-23", "day", False, "range")),
        ("Refugees arrived from December to March 2021.", "2022-01-01", ("2020-12", "2021-03", "month", False, "range")),
        ("Camps grew in the 1990s.", "2022-01-01", ("1990", "1999", "year", False, "range")),
    ],
)
def test_ranges(text, published, reading):
    assert reading in when(text, published)


def test_a_range_from_a_day_to_a_span_of_years():
    assert ("2019-09-01", "2020", "day", False, "range") in when("Prices rose between Sept. 1 and 2019-20.")
    assert ("2018-12", "2019-02", "month", False, "range") in when("Snow fell between December and February 2019.")


def test_two_days_that_do_not_follow_each_other_are_two_dates():
    assert starts("Shells fell on 5 and 9 May.", "2022-06-01") == ["2022-05-05", "2022-05-09"]


def test_a_range_of_counts_is_no_date():
    assert read("Between 20 and 30 people were wounded.") == []
    assert read("Some 5-9 people were wounded.") == []


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("The company has mined gold there since 2002.", ("2002", None, "year", True, "since")),
        ("At least 45 have been detained since Friday.", ("2021-05-28", None, "day", True, "since")),
        ("Shelling has gone on since Armenia resumed the fighting on 27 September.", ("2020-09-27", None, "day", True, "since")),
        ("The road stayed closed until 2023.", (None, "2023", "year", False, "until")),
        ("The camp was held till April.", (None, "2021-04", "month", False, "until")),
        ("All troops must leave by May 2022.", (None, "2022-05", "month", False, "by")),
        ("Since the beginning of this year, 400 have fled.", ("2021", None, "year", True, "since")),
    ],
)
def test_since_until_by(text, reading):
    assert reading in when(text)


def test_since_text_is_in_the_span():
    (m,) = read("Held since 2002.")
    assert m.text == "since 2002"


# --- the present, and periods that reach it -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The mine is currently operated by a foreign firm.",
        "At present, the deposits are being mined.",
        "So far, 133 houses have been destroyed.",
        "To date, no maps have been handed over.",
        "The village is still occupied.",
        "Armenia continues to plant mines.",
        "Israel has also continued attacking targets.",
        "Troops have provided training in recent weeks.",
    ],
)
def test_present_cues(text):
    assert ("2021-05-30", None, "day", True, "present") in when(text)


@pytest.mark.parametrize(
    "text",
    [
        "The ministry publishes up to date figures.",
        "The parties will continue to talk.",
        "They were urged to continue the talks.",
        "Donate Now to support the appeal.",
    ],
)
def test_present_cues_that_are_not(text):
    assert [m for m in read(text) if m.relation == "present"] == []


def test_the_past_continued_is_not_the_present():
    assert when("The shelling continued until May.") == [(None, "2021-05", "month", False, "until")]


@pytest.mark.parametrize(
    ("text", "published", "iso"),
    [
        ("The 8-year long armed conflict has escalated.", "2022-08-24", "2014"),
        ("A breakthrough two years into a war that has killed thousands.", "2022-11-04", "2020"),
        ("Children are the victims of the country's more than four-year war.", "2019-05-01", "2015"),
    ],
)
def test_periods_counted_back_from_publication(text, published, iso):
    assert (iso, None, "year", True, "since") in when(text, published)


def test_a_day_of_fighting_is_no_period():
    assert read("After a day of fighting, the town capitulated.") == []


# --- the old reader, the contract, robustness ------------------------------------------------------


def test_find_dates_keeps_reading_datelines():
    (d,) = find_dates("Baku, 2 April 2018")
    assert (d.iso, d.precision) == ("2018-04-02", "day")
    assert [d.iso for d in find_dates("Since 2002 it has mined gold; currently it exports.", "2018-04-02")] == ["2002", "2018-04-02"]


def test_today_with_its_date_is_that_date():
    assert starts('"Today, May 20, the last group surrendered," he said.', "2022-05-21") == ["2022-05-20"]


def test_offsets_point_into_the_document():
    doc = "Intro. Fighting resumed on Sunday and has continued since April 13."
    ctx = DateContext("2021-05-30")
    for m in dates_in(doc[7:], ctx, offset=7):
        assert doc[m.start:m.end] == m.text


@pytest.mark.parametrize("published", [None, "", "garbage", "2021", "2021-02", "2021-13-45", "0001-01-01", "9999-12-31"])
def test_any_publication_date_is_taken_without_error(published):
    dates_in("On Sunday, two years ago, on 27 December and last spring, since then.", DateContext(published))


def test_random_text_never_raises():
    rng = random.Random(11)
    words = (
        "on in since until by from between and to - – the of last this next ago years months days weeks hours "
        "anniversary 25th later earlier following that day overnight yesterday weekend spring fall still now "
        "continues ( ) , . 1993 2099 1800 0 31 29 02.04.1993 31.02.2020 2020-02-30 2nd Monday Friday's May "
        "Feb. twenty-five a few for past into war 8-year long 1990s 2019-20 1992–1994"
    ).split()
    for _ in range(300):
        ctx = DateContext(rng.choice([None, "2021-05-30", "2021", "2020-02-29"]), rng.choice([None, 1, 1993, 9999]))
        if rng.random() < 0.3:
            text = "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 120)))
        else:
            text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 25)))
        mentions = dates_in(text, ctx, 3)
        ctx.saw(*mentions)
        for m in mentions:
            assert text[m.start - 3:m.end - 3] == m.text

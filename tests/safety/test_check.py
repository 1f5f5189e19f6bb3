"""`check_text` and its report: urgent matches explained, set-aside matches, highlighting."""

from engage.safety import check_text, highlight_html
from tests.hostile_payloads import PAYLOADS


def test_an_urgent_match_says_what_matched_where_and_by_which_phrase():
    text = "Please help, I can't breathe properly"
    (match,) = check_text(text).urgent_matches
    assert match.category == "breathing"
    assert match.label == "Difficulty breathing"
    assert text[match.start : match.end] == match.text == "can't breathe"
    assert "breathe" in match.phrase


def test_the_report_lists_each_category_found_once_with_its_advice():
    report = check_text("chest pain and my chest is tight, and I can't breathe")
    assert [category.key for category in report.urgent_categories] == ["chest pain", "breathing"]
    assert "999" in report.urgent_categories[0].advice


def test_an_exception_sets_a_match_aside_and_says_which():
    report = check_text("The chest pain clinic should open on Saturdays")
    assert not report.is_urgent
    (aside,) = report.set_aside_matches
    assert aside.category == "chest pain"
    assert aside.set_aside_by.startswith("exception: ")


def test_history_sets_aside_a_past_illness_but_not_one_happening_again():
    past = check_text("I had chest pain last year and the clinic was quick")
    assert not past.is_urgent
    assert (
        past.set_aside_matches[0].set_aside_by
        == "history: last (year|month|summer|winter|spring|autumn|christmas)"
    )
    again = check_text("I had chest pain last year and now it is back again")
    assert again.is_urgent


def test_history_is_only_for_the_sentence_it_is_in():
    report = check_text("My mum was ill last year. Now I have chest pain.")
    assert report.is_urgent


def test_history_never_sets_aside_thoughts_of_suicide():
    assert check_text("I used to self harm and I want to kill myself").is_urgent
    assert check_text("I have wanted to kill myself since last year").is_urgent


def test_empty_and_ordinary_text_give_an_empty_report():
    for text in ("", "   ", "More parking please"):
        report = check_text(text)
        assert not report.is_urgent and not report.has_personal_data
        assert report.urgent_categories == ()


def test_positions_stay_right_when_lower_case_is_longer():
    """'İ' is two characters in lower case; matches must still point at the right words."""
    text = "İİİ I CAN'T BREATHE"
    (match,) = check_text(text).urgent_matches
    assert text[match.start : match.end] == "CAN'T BREATHE"


def test_the_highlighted_text_marks_each_match_and_names_it():
    report = check_text("Ring 07911 123456, I can't breathe\nplease")
    html = str(report.highlighted_html())
    assert '<mark class="engage-safety-match">07911 123456' in html
    assert "(Phone number)</span></mark>" in html
    assert "can&#x27;t breathe" in html
    assert "(Difficulty breathing)" in html
    assert "<br>please" in html


def test_overlapping_matches_share_one_mark_naming_both():
    html = str(highlight_html("abcdef", [(0, 4, "One"), (2, 6, "Two")]))
    assert html.count("<mark") == 1
    assert "(One, Two)" in html


def test_hostile_text_stays_escaped_inside_and_outside_the_marks():
    for payload in PAYLOADS:
        value = payload.value
        text = f"{value} I can't breathe {value} Dr {value} jo@example.com"
        html = str(check_text(text).highlighted_html())
        assert "<script" not in html.lower()
        assert "<img" not in html.lower()
        assert "<mark" in html
        assert html.count("<mark") == html.count("</mark>")


def test_a_hostile_label_is_escaped_too():
    html = str(highlight_html("abc", [(0, 3, "<script>x</script>")]))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html

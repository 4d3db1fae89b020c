import pytest

from trustdesk.core.privacy.redaction.spoken import find_digit_runs


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("4111 1111 1111 1111", "en", ["4111111111111111"]),
        ("four one one one", "en", ["4111"]),
        ("five five five oh one two three", "en", ["5550123"]),
        ("double five one triple two", "en", ["551222"]),
        ("seven one five uh one three nine", "en", ["715139"]),
        ("415-555-0132", "en", ["4155550132"]),
        ("(415) 555 0132", "en", ["4155550132"]),
        ("cuatro uno uno uno", "es", ["4111"]),
        ("quatre un un un", "fr", ["4111"]),
        ("vier eins eins eins", "de", ["4111"]),
        ("quatro um um um", "pt", ["4111"]),
        ("room 12 at 3 pm", "en", ["12", "3"]),
        # A lone "o" is a letter, not a zero; it only counts inside a number.
        ("o nine", "en", ["9"]),
        ("nine o five", "en", ["905"]),
        ("cuatro o cinco", "es", ["4", "5"]),
        ("10:30", "en", ["10", "30"]),
        ("no digits here", "en", []),
    ],
)
def test_find_digit_runs_reads_written_and_spoken_digits(
    text: str, language: str, expected: list[str]
) -> None:
    assert [run.digits for run in find_digit_runs(text, language=language)] == expected


def test_digit_run_spans_cover_the_words_that_carried_the_digits() -> None:
    text = "it is four one one one thanks"
    (run,) = find_digit_runs(text)
    assert text[run.start : run.end] == "four one one one"

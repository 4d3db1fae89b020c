"""How customers say personal data out loud: digit by digit, "oh" for zero, "dot" and "at" in emails.

Voice transcripts carry these spoken forms so redaction has to recognize more than typed digits.
"""
from __future__ import annotations

from datetime import date
from random import Random

_DIGIT_WORDS = {
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "es": ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
    "pt": ("zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"),
    "fr": ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
}
_EMAIL_WORDS = {  # (".", "@", "_")
    "en": ("dot", "at", "underscore"),
    "es": ("punto", "arroba", "guion bajo"),
    "pt": ("ponto", "arroba", "underline"),
    "fr": ("point", "arobase", "tiret du bas"),
}
_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
}
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
             "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third",
             "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth",
             "twenty-ninth", "thirtieth", "thirty-first")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen")


def spoken_base(language: str) -> str:
    """The language whose number words a speaker uses; code-switched English falls back to English."""
    return language if language in _DIGIT_WORDS else "en"


def speak_digits(value: str, language: str, rng: Random, *, group: int = 4) -> str:
    """Say each digit as a word, pausing (a comma) every ``group`` digits; letters are spelled as is."""
    base = spoken_base(language)
    words = _DIGIT_WORDS[base]
    says_oh = base == "en" and rng.random() < 0.5
    spoken: list[str] = []
    digit_count = 0
    for char in value:
        if char.isdigit():
            if digit_count and digit_count % group == 0:
                spoken[-1] += ","
            spoken.append("oh" if char == "0" and says_oh else words[int(char)])
            digit_count += 1
        elif char.isalpha():
            spoken.append(char.upper())
    return " ".join(spoken)


def speak_email(email: str, language: str) -> str:
    """Say an address the way callers do: "john dot smith at example dot com"."""
    dot, at, underscore = _EMAIL_WORDS[spoken_base(language)]
    local, domain = email.split("@", 1)
    local_words = local.replace(".", f" {dot} ").replace("_", f" {underscore} ")
    return f"{local_words} {at} {domain.replace('.', f' {dot} ')}"


def _english_two_digits(number: int) -> str:
    if number < 10:
        return f"oh {_DIGIT_WORDS['en'][number]}"
    if number < 20:
        return _TEENS[number - 10]
    tens, ones = divmod(number, 10)
    return _TENS[tens] + (f"-{_DIGIT_WORDS['en'][ones]}" if ones else "")


def _english_year(year: int) -> str:
    if 2000 <= year < 2010:
        return f"two thousand {_DIGIT_WORDS['en'][year - 2000]}" if year > 2000 else "two thousand"
    century, rest = divmod(year, 100)
    return f"{_english_two_digits(century)} {_english_two_digits(rest) if rest else 'hundred'}"


def speak_date(day: date, language: str, rng: Random) -> str:
    """A date of birth as said on a call; English years in words, other languages as dictated digits."""
    base = spoken_base(language)
    month = _MONTHS[base][day.month - 1]
    if base == "en":
        if rng.random() < 0.5:
            return f"{month} {_ORDINALS[day.day - 1]}, {_english_year(day.year)}"
        return f"the {_ORDINALS[day.day - 1]} of {month} {_english_year(day.year)}"
    if base == "fr":
        return f"le {day.day if day.day > 1 else '1er'} {month} {day.year}"
    return f"{day.day} de {month} de {day.year}"


def write_date(day: date, country: str, rng: Random) -> str:
    """A date of birth as typed in chat or email, in the writer's local order."""
    if rng.random() < 0.2:
        return day.isoformat()
    if country == "US":
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    separator = "-" if country in ("PT", "IN") and rng.random() < 0.5 else "/"
    return f"{day.day:02d}{separator}{day.month:02d}{separator}{day.year}"


def name_day(day: date, language: str) -> str:
    """A recent day as people mention it ("November 3", "3 de noviembre", "3 novembre")."""
    base = spoken_base(language)
    month = _MONTHS[base][day.month - 1]
    if base == "en":
        return f"{month} {day.day}"
    if base == "fr":
        return f"{day.day} {month}"
    return f"{day.day} de {month}"


def speak_phone(phone: str, language: str, rng: Random) -> str:
    """Say a phone number's national part group by group, as written, without the country code."""
    national = phone.split(" ", 1)[1] if phone.startswith("+") and " " in phone else phone
    groups = national.replace("-", " ").split()
    return ", ".join(speak_digits(group, language, rng, group=len(group) + 1) for group in groups)

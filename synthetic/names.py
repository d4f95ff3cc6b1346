"""Made-up names: pronounceable words that name no real actor or place, and their variant spellings."""

import random

GROUP_SUFFIXES = (
    "Brigade",
    "Front",
    "Movement",
    "Army",
    "Battalion",
    "Forces",
    "Militia",
    "Liberation Front",
)
MEDIA_SUFFIXES = ("Times", "Monitor", "Daily", "News Agency", "Observer", "Network")
NGO_SUFFIXES = ("Human Rights Watch Group", "Observatory", "Relief Committee", "Documentation Centre")
ONSETS = ("b", "d", "f", "g", "h", "j", "k", "kh", "l", "m", "n", "q", "r", "s", "sh", "t", "w", "y", "z")
VOWELS = ("a", "a", "e", "i", "o", "u", "aa", "ai", "ou")
CODAS = ("", "", "", "n", "r", "l", "m", "d", "b", "sh", "t")


def made_up_word(rng: random.Random) -> str:
    """A pronounceable made-up name of two or three syllables."""
    syllables = 2 if rng.random() < 0.6 else 3
    word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables))
    return word.capitalize()


def spellings(name: str, rng: random.Random, n: int) -> list[str]:
    """Up to `n` other spellings of a made-up name, as transliterations vary (Raqa / Raqqa / Ar-Raqqah)."""
    variants = {
        name.replace("k", "q").replace("K", "Q"),
        name.replace("ou", "u").replace("aa", "a"),
        name.replace("u", "ou", 1),
        "Al-" + name,
        name.replace("sh", "ch").replace("Sh", "Ch"),
        name + "h",
    } - {name}
    return rng.sample(sorted(variants), min(n, len(variants)))

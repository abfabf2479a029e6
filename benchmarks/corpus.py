"""A synthetic but news-like corpus: dated articles from several outlets, with ships, aircraft,
places, officials, dates and figures, generated deterministically from a seed."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

OUTLETS = [
    "Meridian Wire",
    "Harbour Ledger",
    "Northern Dispatch",
    "Pacific Security Review",
    "Defense Notes Weekly",
    "Baltic Courier",
    "Continental Times",
    "Kyushu Evening Post",
]
SHIPS = [
    "Kareliya",
    "Beijixing",
    "Marshal Shaposhnikov",
    "Admiral Panteleyev",
    "Yuzhou",
    "Tianwangxing",
    "Kaiyo",
    "Suzutsuki",
    "Shirase",
    "Hyuga",
    "Ise",
    "Varyag",
]
AIRCRAFT = ["Il-20", "Tu-95", "Y-9", "P-3C", "F-15J", "F-35A", "Su-35", "H-6K", "KJ-500"]
PLACES = [
    "the Tsushima Strait",
    "the Sea of Okhotsk",
    "the East China Sea",
    "Okinawa",
    "Hokkaido",
    "Kyushu",
    "the Miyako Strait",
    "Yonaguni",
    "the Sea of Japan",
    "the Tsugaru Strait",
    "Sado island",
    "the Osumi Strait",
]
OFFICIALS = [
    "the Joint Staff",
    "a defence ministry spokesperson",
    "the coast guard",
    "Ukraine's Foreign Intelligence Service",
    "the foreign ministry",
    "a navy spokesperson",
    "regional officials",
    "analysts",
]
VERBS = [
    "transited",
    "entered",
    "operated near",
    "sailed through",
    "was detected near",
    "was photographed off",
    "left",
    "patrolled",
]
TEMPLATES = [
    "The {ship} {verb} {place} on {day}, {official} said.",
    "{official_cap} reported that a {aircraft} flew over {place} on {day}.",
    "Japan scrambled fighter jets {count} times in the period, according to {official}.",
    "The {ship} reportedly carried {count} crew members when it {verb} {place}.",
    "{official_cap} said the {ship} would likely return to {place} within {small} weeks.",
    "A {aircraft} and the {ship} were seen together near {place} on {day}.",
    "About {percent} percent of the sorties were flown by {aircraft} aircraft, {official} said.",
    "The {ship} is about {length} metres long and was commissioned in {year}.",
    "{official_cap} denied that the {ship} had entered territorial waters near {place}.",
    "Fishing boats near {place} were asked to keep {small} kilometres away from the {ship}.",
]


def _sentence(rng: random.Random, day: date) -> str:
    official = rng.choice(OFFICIALS)
    return rng.choice(TEMPLATES).format(
        ship=rng.choice(SHIPS),
        verb=rng.choice(VERBS),
        place=rng.choice(PLACES),
        day=f"{(day - timedelta(days=rng.randint(0, 20))).day} {day.strftime('%B')}",
        official=official,
        official_cap=official[0].upper() + official[1:],
        aircraft=rng.choice(AIRCRAFT),
        count=rng.randint(3, 900),
        small=rng.randint(2, 30),
        percent=rng.randint(5, 95),
        length=rng.randint(60, 260),
        year=rng.randint(1985, 2024),
    )


def generate(folder: Path, articles: int, seed: int = 7, sentences: int = 10) -> list[Path]:
    """``articles`` Markdown files in ``folder``; about ``sentences / 3`` chunks each with the
    default chunking (4 sentences, overlap 1)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    start = date(2023, 1, 1)
    for i in range(articles):
        day = start + timedelta(days=rng.randint(0, 800))
        ship, place = rng.choice(SHIPS), rng.choice(PLACES)
        body = " ".join(_sentence(rng, day) for _ in range(sentences))
        path = folder / f"{day.isoformat()}-{i:06}.md"
        path.write_text(
            f"---\ntitle: {ship} seen near {place.removeprefix('the ')} ({i})\n"
            f"outlet: {rng.choice(OUTLETS)}\npublished: {day.isoformat()}\n---\n\n{body}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def claims(rng: random.Random, count: int) -> list[str]:
    """Claims to check, in the corpus's terms: some stated, some with a changed value."""
    forms = [
        "The {ship} transited {place} on {day} January.",
        "The {ship} did not enter {place}.",
        "Officials denied that the {ship} carried {day} crew members.",
    ]
    return _filled(rng, forms, count, days=True)


def questions(rng: random.Random, count: int) -> list[str]:
    forms = [
        "When did the {ship} transit {place}?",
        "Which aircraft flew over {place}?",
        "How many crew members did the {ship} carry?",
        "Who denied that the {ship} entered territorial waters?",
        "How long is the {ship}?",
    ]
    return _filled(rng, forms, count)


def yes_no_questions(rng: random.Random, count: int) -> list[str]:
    """Yes/no questions, answered through the claim check (issue 18)."""
    forms = [
        "Did the {ship} transit {place}?",
        "Was the {ship} seen near {place}?",
        "Did officials deny that the {ship} entered territorial waters?",
    ]
    return _filled(rng, forms, count)


def multi_part_questions(rng: random.Random, count: int) -> list[str]:
    """Questions that name two outlets: answered part by part, compared, or put in order
    (issue 18); each searches twice and judges both parts."""
    forms = [
        "Does {{outlet}} report that the {ship} transited {place}, while {{other}} says officials "
        "denied it?",
        "Between {{outlet}} and {{other}}, was there a change in when the {ship} transited "
        "{place}?",
        "Did {{outlet}} report on the {ship} before {{other}} mentioned {place}?",
        "Do {{outlet}} and {{other}} agree on the {ship}?",
    ]
    filled = []
    for text in _filled(rng, forms, count):
        outlet, other = rng.sample(OUTLETS, 2)
        filled.append(text.replace("{outlet}", outlet).replace("{other}", other))
    return filled


def _filled(rng: random.Random, forms: list[str], count: int, days: bool = False) -> list[str]:
    """``count`` forms drawn at random with a ship, a place (and a day) filled in; the draws
    come in the same order as before this helper, so earlier benchmark runs stay comparable."""
    filled = []
    for _ in range(count):
        form = rng.choice(forms)
        slots: dict[str, object] = {"ship": rng.choice(SHIPS), "place": rng.choice(PLACES)}
        if days:
            slots["day"] = rng.randint(1, 28)
        filled.append(form.format(**slots))
    return filled

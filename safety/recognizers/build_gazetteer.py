"""Regenerate ``name_gazetteer.json`` from Faker's offline name lists (development only, never imported).

    .venv/bin/python -m pip install "faker==40.54.0"
    .venv/bin/python -m safety.recognizers.build_gazetteer

Provenance: Faker (MIT licence, https://github.com/joke2k/faker) person providers of the locales in
``LOCALES``, plus its ``en_US`` address provider (city prefixes/suffixes) and company provider (suffixes).
Names that are also common English words go to ``common_names``: the recognizer accepts them only when
capitalised. Common words are Faker's ``en_US`` lorem word list, ``EXTRA_COMMON`` below, and every word
written in lower case at least ``MIN_COUNT`` times, and no less often than capitalised, in the English
train sets of ``TRAIN_DIR`` (the PII set excluded); ``common_words`` keeps those of 3+ letters for the
capitalised-pair rule.
The file holds lower-case, ASCII-folded strings; it is data, so the recognizer never needs Faker.
"""

from __future__ import annotations

import importlib
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

LOCALES = (
    *("en_US", "en_GB", "en_IE", "en_NZ", "en_IN", "es_MX", "es_ES", "fr_FR", "it_IT", "de_DE", "pt_BR"),
    *("nl_NL", "sv_SE", "da_DK", "no_NO", "fi_FI", "pl_PL", "cs_CZ", "hu_HU"),
)
# English text to learn which words are ordinary words: every train file except the PII one (its
# sentences hold lower-cased names). A word written in lower case at least ``MIN_COUNT`` times and at
# least as often as capitalised is a common word ("hope"), a name is not ("john").
TRAIN_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "train"
MIN_COUNT = 5
# Names that are everyday words ("will", "may", "long"): never a lower-case name, even in a pair.
FREQUENT_COUNT = 100
OUT = Path(__file__).resolve().parent / "name_gazetteer.json"

# Chat and clinical words that are also first or last names somewhere ("will", "mark", "bill", "cash").
_EXTRA_COMMON_TEXT = """
will may mark bill art sue pat rose grace hope faith joy june april august summer autumn winter dawn
rich price long young king hill green brown white black gray grey little short best day page cross stone
chase frost lane moss pace love bell hall wood church house field ford banks mills rivers waters woods
miles sharp strong wise hunt fox wolf bird bush moore lee ray jack penny ruby amber crystal cherry candy
sandy misty rusty dusty sunny storm rain sky lily iris daisy holly ivy heather olive ginger honey sugar
angel baby chance christian royal major marshall sterling earl duke prince king queen bishop dean
noble golden silver gold steel iron cook baker carter fisher hunter porter taylor turner walker weaver
potter mason cooper miller smith barber butcher tanner booth cole nash law marsh may lynn don dan
ben max sam tom jim tim ken ron rob bob joe roy guy ted ed al hal val mel nick will case reed rod
ward west north south east lake port hale hart hurt lamb lord love lowe mann best cash cain hardy
noel rich sage tate wade walls webb wells wise york mercy star storm paris sky river glenn bryce
van von der den del della los las san santa dos das les per jan feb mar apr jun jul aug sep sept oct nov
dec mon tue wed thu fri sat sun lucky happy buddy precious destiny princess blessing trinity harmony melody
charity patience prudence constance verity felicity liberty justice journey ocean spring brook dale glen
heath moor cliff rock flint chip buck doc sonny pepper berry apple peach coco kitty bunny birdie dove robin
wren lark jay raven bear archer ranger rider diamond pearl jade coral jewel gem violet poppy hazel willow
aspen ash rowan basil rosemary fern clover blossom bud tiger ace rex bonnie merry jolly earnest frank gene
eve nova luna sol genesis eden paradise heaven serenity unity zen bliss lovely pretty sweet darling
english french german spanish italian dutch irish scottish welsh british american canadian mexican chinese
japanese korean indian african asian european russian polish swedish danish norwegian finnish greek turkish
arab arabic jewish muslim catholic latin roman celtic swiss hispanic latino
"""
EXTRA_COMMON = _EXTRA_COMMON_TEXT.split()


def _fold(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c)).lower()


def _names(attribute: str) -> set[str]:
    names: set[str] = set()
    for locale in LOCALES:
        provider: Any = importlib.import_module(f"faker.providers.person.{locale}").Provider
        values = getattr(provider, attribute, ())
        for value in values:
            for part in str(value).replace("-", " ").split():
                folded = _fold(part)
                if len(folded) >= 3 and folded.isalpha():
                    names.add(folded)
    return names


def _corpus_words(min_count: int = MIN_COUNT) -> set[str]:
    counts: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for path in sorted(TRAIN_DIR.glob("*.jsonl")):
        if path.name.startswith("presidio"):
            continue
        for line in filter(None, path.read_text(encoding="utf-8").split("\n")):
            for value in json.loads(line).values():
                if isinstance(value, str):
                    counts.update(re.findall(r"(?<![\w'])[a-z]{3,}(?![\w'])", value))
                    titled = re.findall(r"(?<![\w'])[A-Z][a-z]{2,}(?![\w'])", value)
                    capitalised.update(w.lower() for w in titled)
    return {word for word, n in counts.items() if n >= min_count and n >= capitalised[word]}


def main() -> None:
    """Write ``name_gazetteer.json`` next to this file."""
    lorem: Any = importlib.import_module("faker.providers.lorem.en_US").Provider
    address: Any = importlib.import_module("faker.providers.address.en_US").Provider
    company: Any = importlib.import_module("faker.providers.company.en_US").Provider
    common = {w.lower() for w in lorem.word_list} | set(EXTRA_COMMON) | _corpus_words()
    frequent = _corpus_words(FREQUENT_COUNT) | set(EXTRA_COMMON[:12])
    first, last = _names("first_names"), _names("last_names")
    data = {
        "source": f"faker person providers {', '.join(LOCALES)}; faker en_US address/company providers",
        "first_names": sorted(first - common),
        "last_names": sorted(last - common),
        "common_names": sorted((first | last) & common),
        "common_first_names": sorted(first & common),
        "common_words": sorted(w for w in common if len(w) >= 3),
        "frequent_words": sorted(w for w in frequent if w in first | last),
        "city_prefixes": sorted({p.lower() for p in address.city_prefixes}),
        "city_suffixes": sorted({s.lower() for s in address.city_suffixes}, key=lambda s: (-len(s), s)),
        "company_suffixes": sorted({s for s in company.company_suffixes}),
    }
    OUT.write_text(json.dumps(data, indent=0, ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(data['first_names'])} first, {len(data['last_names'])} last names")


if __name__ == "__main__":
    main()

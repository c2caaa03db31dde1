"""Gazetteer names, towns and firms, address tails, dates and span merging; clinical text survives."""

from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult

from safety import PiiRedactor
from safety.pii import _merge_overlaps
from safety.recognizers import GazetteerRecognizer, NameGazetteer

# (text, substrings that must be redacted, substrings that must survive)
CASES = [
    ("i'm debra and i have had diarrhea since monday", ["debra"], ["since monday"]),
    ("thanks, mary salazar", ["mary salazar"], []),
    ("Heather here, I took 2 Advil 200 mg and the headache is 7/10.", ["Heather"], ["200 mg", "7/10"]),
    ("Nurse Rachel said to call back if the fever passes 39 C.", ["Rachel"], ["Nurse", "39 C"]),
    ("stephanie's blood pressure was 150/95 this morning.", ["stephanie"], ["150/95"]),
    ("Christina Long's blood pressure was 150/95.", ["Christina Long"], ["150/95"]),
    ("I'm visiting Burtonstad from eddieland and ran out of my inhaler.", ["Burtonstad", "eddieland"], []),
    ("He is from port kennethbury, she lives in Lake Jeffery, ND.", ["kennethbury", "Jeffery", "ND"], []),
    ("I work at Walters-Palmer and my wife at Reed, Clark and Walsh.", ["Walters-Palmer", "Reed, Clark"], []),
    ("Seen at Moreno Hospital and St. Julia's Hospital last year.", ["Moreno", "Julia"], []),
    ("Pharmacy: 850 Cassie Station Apt. 447, 71637.", ["850 Cassie", "71637"], []),
    ("Send it to 22048-8349 please", ["22048-8349"], []),
    ("Discharged 11/14/1983. Seen 1974/09/13 or 14-Jun-1977.", ["1983", "1974/09/13", "14-Jun-1977"], []),
    ("my daughter Elizabeth is 7 and has a rash", ["Elizabeth", "7"], []),
    ("Sex/Age: M/45. The baby is 3 months old.", ["45", "3 months"], []),
    ("Referred by Dr. Mason on Monday.", ["Mason"], ["Dr.", "Monday"]),
    ("we need to add Thelma Mitchell as guardian", ["Thelma Mitchell"], []),
    ("reach me on 358.695.2548 or +1-565-369-0702 after 5", ["358.695.2548", "+1-565-369-0702"], ["after 5"]),
    ("Patient is a 45 y.o. female; I'm almost 90.", ["45", "90"], []),
    ("Last seen 3/2024, labs dated 20240305.", ["3/2024", "20240305"], []),
    ("I'm in 90210, took 10000 steps and 50000 IU of vitamin D.", ["90210"], ["10000 steps", "50000 IU"]),
    ("45yoM with chest pain; my mother (92) fell; she turns 80 soon.", ["45", "92", "80"], ["chest pain"]),
    ("Seen Tuesday, 05 March; appt 3/14; pain 7/10.", ["05 March", "3/14"], ["Tuesday", "7/10"]),
    ("tell kevin brown that debra called", ["kevin brown", "debra"], ["called"]),
    ("Reynolds called; Mother: Mclean; caregiver brian is confused.", ["Reynolds", "Mclean", "brian"], []),
    ("MARCIA WHITE called about her mother.", ["MARCIA WHITE"], []),
    ("An 80-year-old from North Vanessastad with Crohn's disease.", ["Vanessastad"], ["Crohn's disease"]),
    ("I'm 98F; I'll be 99 soon; my son, 12, male; fever since 11/26.", ["98", "99", "12", "11/26"], []),
    ("Admitted 2023 with pneumonia, date of death 2024.", ["2023", "2024"], ["pneumonia"]),
    ("in montana; at perez and sons, and lynn, hughes and dougherty", ["montana", "perez", "lynn"], []),
    ("I live in TX near the Stone Memorial clinic.", ["TX", "Stone Memorial"], []),
    ("She lives in Lake Jeffery, MS with her son.", ["Jeffery, MS"], []),
]

NEGATIVES = [
    "Took 2 Tylenol at 8 am and the fever went down to 99.5 F.",
    "I also take Vitamin D and Metformin 1000 mg twice a day.",
    "Chest Pain, Shortness Of Breath, Nausea. Onset: this morning.",
    "I will hope for the best, my grace period ends in may.",
    "Addison's disease and Wilson disease run in the family; Graves' disease too.",
    "Should I call 988 or Poison Control at 1 (800) 222-1222? It started three weeks ago.",
    "CPT 99213 billed, pain 7 out of 10 since 2 days.",
    "I live in constant pain and my son is 6 feet tall.",
    "i feel lucky the rash is gone, i will long for a cure and hope for the best",
    "The Northern Hemisphere flu season; Hodgkin lymphoma and Bell's palsy are unrelated.",
    "Diagnosed with Parkinson last year; I speak English and my Wilson disease is stable.",
    "Kawasaki disease, Noonan syndrome, Stevens-Johnson syndrome and Epstein-Barr virus were ruled out.",
    "Could this be von Willebrand disease, Lou Gehrig's disease or De Quervain's tenosynovitis?",
    "Morton's neuroma, Barrett's esophagus, Duchenne muscular dystrophy; Foley catheter out; Pap smear ok.",
    "SAMHSA helpline 1-800-662-4357; platelets 450, INR 2.8; Dial 112 in Europe.",
    "Took 1/2 tablet; pain 7/10, yesterday 10/10; smoked 20 yrs; women in their 40s; diabetic since 2015.",
    "I also take Vitamin D. My heart rate is 130 at rest. Pain radiates to the Left Leg.",
    "My support group meets weekly; MI ruled out, MS unlikely, CT normal.",
]


@pytest.mark.parametrize(("text", "redacted", "kept"), CASES)
def test_when_known_name_or_place_then_redacted(redactor: PiiRedactor, text, redacted, kept):
    result = redactor.redact(text).text
    for value in redacted:
        assert value not in result, (value, result)
    for value in kept:
        assert value in result, (value, result)


@pytest.mark.parametrize("text", NEGATIVES)
def test_when_clinical_text_then_unchanged(redactor: PiiRedactor, text):
    assert redactor.redact(text).text == text


def test_possessive_stays_outside_the_placeholder(redactor: PiiRedactor):
    result = redactor.redact("stephanie's inhaler is empty")
    assert result.text == "[PERSON_1]'s inhaler is empty"
    assert result.pseudonyms["[PERSON_1]"] == "stephanie"


def test_when_spans_overlap_then_union_is_redacted_and_restorable(redactor: PiiRedactor):
    text = "Can you send the results to Reed, Clark and Walsh in Lake Jeffery, ND 58102?"
    result = redactor.redact(text)
    restored = result.text
    for placeholder, value in result.pseudonyms.items():
        restored = restored.replace(placeholder, value)
    assert restored == text
    assert "Clark" not in result.text and "Jeffery" not in result.text and "58102" not in result.text


def test_merge_takes_the_type_of_the_covering_span():
    merged = _merge_overlaps(
        [RecognizerResult("ORGANIZATION", 0, 21, 0.65), RecognizerResult("PERSON", 6, 11, 0.85)]
    )
    assert [(m.entity_type, m.start, m.end, m.score) for m in merged] == [("ORGANIZATION", 0, 21, 0.85)]


def test_common_word_names_count_only_when_capitalised():
    recognizer = GazetteerRecognizer()
    assert recognizer.analyze("i will hope so", []) == []
    found = _merge_overlaps(recognizer.analyze("this is Hope Salazar", []))
    assert [(r.entity_type, r.start, r.end) for r in found] == [("PERSON", 8, 20)]


def test_gazetteer_has_names_and_town_parts():
    names = NameGazetteer()
    assert {"debra", "salazar"} <= names.first | names.last
    assert "grace" in names.common and "grace" not in names.first
    assert names.city_prefixes >= {"north", "lake", "port"}

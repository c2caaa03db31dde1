import pytest

from backend.triage import TriageEngine
from backend.triage.demographics import extract_age, extract_duration_hours, extract_pregnancy, extract_sex
from backend.triage.negation import NegationDetector
from backend.triage.text import normalise
from clinical_policies import PolicyBundle


def statuses(engine: TriageEngine, text: str) -> dict[str, str]:
    return {f.concept_id: f.status for f in engine.extractor.extract(text).findings}


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("my chest feels crushed", "chest_pain"),
        ("Substernal pressure since this morning", "chest_pain"),
        ("pt reports dyspnoea on exertion", "shortness_of_breath"),
        ("I've got the runs", "diarrhoea"),
        ("it burns when I pee", "dysuria"),
        ("my tummy is killing me", "abdominal_pain"),
        ("I can't seem to get enough air in", "severe_breathlessness"),  # paraphrase (embedding)
        ("my heart keeps fluttering", "palpitations"),
    ],
)
def test_extract_lay_and_clinical_phrasings(engine: TriageEngine, text: str, concept: str):
    assert statuses(engine, text).get(concept) == "present"


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("No fever.", "fever"),
        ("Patient denies chest pain.", "chest_pain"),
        ("I don't have a temperature", "fever"),
        ("without any vomiting", "nausea_vomiting"),
        ("There's no blood in my poo", "rectal_bleeding"),
        ("I haven't had a headache", "headache"),
    ],
)
def test_when_negated_then_absent(engine: TriageEngine, text: str, concept: str):
    assert statuses(engine, text).get(concept) == "absent"


def test_when_negation_scope_ends_then_later_concept_present(engine: TriageEngine):
    found = statuses(engine, "No fever but I have a really bad cough")
    assert found["fever"] == "absent"
    assert found["cough"] == "present"


@pytest.mark.parametrize(
    ("text", "negated", "present"),
    [
        ("(no blood thinners) her leg went cold and pale", "anticoagulant", "cold_pale_limb"),
        ("no rash (my leg is cold and pale)", "rash", "cold_pale_limb"),
        ("she has no fever [her lips are blue]", "fever", "severe_breathlessness"),
        ("No fever (had a cough)", "fever", "cough"),
    ],
)
def test_bracket_ends_negation_scope(lexical_engine: TriageEngine, text: str, negated: str, present: str):
    found = statuses(lexical_engine, text)
    assert found[negated] == "absent"
    assert found[present] == "present"


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        # a symptom list after "no": only the first item is absent (the safe reading of an ambiguous list)
        ("no fever, chest pain, cough", ["fever"], ["chest_pain", "cough"]),
        ("I don't have a fever, my chest hurts", ["fever"], ["chest_pain"]),
        ("no rash, headache", ["rash"], ["headache"]),
    ],
)
def test_a_comma_ends_an_ordinary_cue_unless_the_list_is_closed(
    lexical_engine: TriageEngine, text: str, absent: list[str], present: list[str]
):
    found = statuses(lexical_engine, text)
    assert [found.get(c) for c in absent] == ["absent"] * len(absent)
    assert [found.get(c) for c in present] == ["present"] * len(present)


@pytest.mark.parametrize(
    "text",
    [
        "no fever, rash or headache",  # a list closed by "or"
        "she has no fever, rash nor headache",
        "denies fever, rash, headache",  # a list cue reaches every item
        "negative for fever, rash, headache",
    ],
)
def test_a_closed_list_or_a_list_cue_negates_every_item(lexical_engine: TriageEngine, text: str):
    found = statuses(lexical_engine, text)
    assert [found.get(c) for c in ("fever", "rash", "headache")] == ["absent"] * 3


def test_negation_inside_brackets_still_negates(lexical_engine: TriageEngine):
    found = statuses(lexical_engine, "bad cough (no fever)")
    assert found["fever"] == "absent"
    assert found["cough"] == "present"


def test_pseudo_negation_does_not_negate(engine: TriageEngine):
    assert statuses(engine, "I'm not sure but I think I have a fever")["fever"] == "present"
    assert statuses(engine, "the headache won't go away")["headache"] == "present"


def test_when_paraphrase_has_opposite_polarity_then_not_matched(engine: TriageEngine):
    found = statuses(engine, "I twisted my ankle but I can walk on it")
    assert found.get("cannot_bear_weight") != "present"


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I'm 34 and have a cough", 34),
        ("My 3-month-old baby", 0.25),
        ("a 45-year-old man", 45),
        ("6 week old with a temperature", 6 / 52),
        ("my mum, who is 80,", 80),
        ("I'm 34 weeks pregnant", None),
        ("67 yo female", 67),
        ("aged 4", 4),
    ],
)
def test_extract_age(triage_bundle: PolicyBundle, text: str, age: float | None):
    found = extract_age(normalise(text), triage_bundle.symptoms.demographics)
    assert found == (None if age is None else pytest.approx(age, abs=0.01))


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("for 3 days", 72),
        ("since yesterday", 24),
        ("for the past hour", 1),
        ("started 30 minutes ago", 0.5),
        ("for about two weeks", 336),
        ("for a couple of months", 1460),
        ("I have a headache", None),
        ("my 3 year old", None),
    ],
)
def test_extract_duration(text: str, hours: float | None):
    found = extract_duration_hours(normalise(text))
    assert found == (None if hours is None else pytest.approx(hours, rel=0.01))


@pytest.mark.parametrize(
    ("text", "sex"),
    [("I'm a 30 year old woman", "female"), ("my son has a rash", "male"), ("I have a cough", None)],
)
def test_extract_sex(triage_bundle: PolicyBundle, text: str, sex: str | None):
    assert extract_sex(normalise(text), triage_bundle.symptoms.demographics) == sex


@pytest.mark.parametrize(
    ("text", "pregnant"),
    [("I'm 7 weeks pregnant", True), ("I am not pregnant", False), ("I have a cough", None)],
)
def test_extract_pregnancy(triage_bundle: PolicyBundle, text: str, pregnant: bool | None):
    negation = NegationDetector(triage_bundle.symptoms.negation, triage_bundle.engine.negation_max_gap_tokens)
    assert extract_pregnancy(normalise(text), triage_bundle.symptoms.demographics, negation) is pregnant


def test_pregnancy_implies_female(engine: TriageEngine):
    extraction = engine.extractor.extract("I'm 20 weeks pregnant with a headache")
    assert extraction.pregnant is True
    assert extraction.sex == "female"

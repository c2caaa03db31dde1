import pytest

from backend.agent.grounding import numbers_in, ungrounded_numbers


@pytest.mark.parametrize(
    ("model_text", "sources", "invented"),
    [
        ("The patient's age is 21.", ["I have a sore throat for two days"], {"21"}),
        ("Two days is a while; I am sorry.", ["I have a sore throat for two days"], set()),
        ("Take 400 mg every 4 hours.", ["I have a headache"], {"400", "4"}),
        ("A fever of 39.5 is worrying.", ["my temperature is 39,5"], set()),
        ("I am sorry you feel unwell.", ["anything"], set()),
        ("Call 911 now.", ["chest pain"], {"911"}),
        ("Call 911 now.", ["chest pain", "call 911 in the US"], set()),
    ],
)
def test_ungrounded_numbers(model_text, sources, invented):
    assert ungrounded_numbers(model_text, sources) == invented


def test_numbers_in_normalises_words_and_decimals():
    assert numbers_in("Two or 3,5 or TEN") == {"two", "3.5", "ten"}

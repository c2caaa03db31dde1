"""Custom Presidio recognizers for medical identifiers, selected and parameterised by ``recognizers.yaml``."""

from safety.recognizers.address_block import AddressBlockRecognizer
from safety.recognizers.cued_place import CuedPlaceRecognizer
from safety.recognizers.form_table import FormTableRecognizer
from safety.recognizers.gazetteer import GazetteerRecognizer, NameGazetteer, default_name_gazetteer
from safety.recognizers.introduced_name import IntroducedNameRecognizer
from safety.recognizers.labelled_pattern import LabelledPatternRecognizer
from safety.recognizers.name_slot import NameSlotRecognizer

__all__ = [
    "AddressBlockRecognizer",
    "CuedPlaceRecognizer",
    "FormTableRecognizer",
    "GazetteerRecognizer",
    "IntroducedNameRecognizer",
    "LabelledPatternRecognizer",
    "NameGazetteer",
    "NameSlotRecognizer",
    "default_name_gazetteer",
]

import pytest

from safety import PseudonymVault, VaultError, restore


def test_seal_open_round_trip():
    vault = PseudonymVault(PseudonymVault.generate_key())
    token = vault.seal({"[PERSON_1]": "Ana Ruiz", "[MEDICAL_RECORD_NUMBER_1]": "0870169"})
    assert b"Ana" not in token
    assert vault.open(token) == {"[PERSON_1]": "Ana Ruiz", "[MEDICAL_RECORD_NUMBER_1]": "0870169"}
    assert vault.reveal("[PERSON_1] has MRN [MEDICAL_RECORD_NUMBER_1]", token) == "Ana Ruiz has MRN 0870169"


def test_when_key_is_wrong_then_vault_refuses():
    token = PseudonymVault(PseudonymVault.generate_key()).seal({"[PERSON_1]": "x"})
    with pytest.raises(VaultError):
        PseudonymVault(PseudonymVault.generate_key()).open(token)


def test_when_token_is_tampered_then_vault_refuses():
    vault = PseudonymVault(PseudonymVault.generate_key())
    token = bytearray(vault.seal({"[PERSON_1]": "x"}))
    token[20] ^= 1
    with pytest.raises(VaultError):
        vault.open(bytes(token))


def test_restore_leaves_unknown_placeholders():
    assert restore("[PERSON_1] and [PERSON_2]", {"[PERSON_1]": "Ann"}) == "Ann and [PERSON_2]"

import safety


def test_exported_members():
    exported = set(safety.__all__)
    assert {
        "SafetyPipeline",
        "Verdict",
        "Decision",
        "PiiRedactor",
        "PiiConfig",
        "RedactionResult",
    } <= exported
    for name in exported:
        assert hasattr(safety, name), name
    assert sorted(safety.__all__) == safety.__all__

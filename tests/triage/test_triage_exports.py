import backend.triage


def test_exported_members():
    for name in backend.triage.__all__:
        assert hasattr(backend.triage, name), name
    assert "TriageEngine" in backend.triage.__all__


def test_engine_does_not_import_web_or_graph_frameworks():
    import subprocess
    import sys

    code = (
        "import sys, backend.triage;"
        "bad = [m for m in ('fastapi', 'sqlalchemy', 'langgraph') if m in sys.modules];"
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

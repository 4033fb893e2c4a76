"""The `train` fixture of the framework tests (imported by each test file: a conftest.py
here would shadow python/tests/conftest.py for `from conftest import`). They train real models (torch, Lightning, Keras, Transformers) in
a child Python from the venv .ci/run creates (``.venv-frameworks`` at the repository
root, or ``$MLDB_FRAMEWORKS_PYTHON``), importing mldb from this checkout, and then
check what the run left in the database with the mldb under test. Without that
venv they are skipped locally, and fail under CI (CI must create it)."""

import os
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
SCRIPTS = os.path.join(HERE, "frameworks")


def _venv_python():
    explicit = os.environ.get("MLDB_FRAMEWORKS_PYTHON")
    if explicit:
        return explicit
    return os.path.join(REPO_ROOT, ".venv-frameworks", "bin", "python")


@pytest.fixture
def train(tmp_path):
    """Runs ``frameworks/<script>`` (or a path from the repository root) with the frameworks' Python; returns the CompletedProcess."""
    python = _venv_python()
    if not os.path.exists(python):
        if os.environ.get("CI"):
            pytest.fail("%s is missing: .ci/run creates the frameworks venv (torch, lightning, keras, transformers)"
                        % python)
        pytest.skip("no frameworks venv at %s (bash .ci/run creates it; or set MLDB_FRAMEWORKS_PYTHON)" % python)

    def run(script, *args):
        env = dict(os.environ)
        # this checkout's mldb, never one installed into the venv
        env["PYTHONPATH"] = os.path.join(REPO_ROOT, "python")
        env["KERAS_BACKEND"] = "torch"
        env["HF_HUB_OFFLINE"] = "1"
        env["TOKENIZERS_PARALLELISM"] = "false"
        path = os.path.join(SCRIPTS, script) if os.sep not in script else os.path.join(REPO_ROOT, script)
        return subprocess.run([python, path] + [str(a) for a in args], env=env,
                              capture_output=True, text=True, timeout=600, cwd=str(tmp_path))

    return run

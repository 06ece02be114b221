"""twofa reads its settings through twofa.conf: the project's value, else the same default."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from twofa.conf import DEFAULTS, twofa_settings

ROOT = Path(__file__).resolve().parents[2]


def test_a_setting_the_project_leaves_out_gets_its_default(settings):
    del settings.TWOFA_RESEND_COOLDOWN
    assert twofa_settings.TWOFA_RESEND_COOLDOWN == 30


def test_the_project_value_wins(settings):
    settings.TWOFA_RESEND_COOLDOWN = 5
    assert twofa_settings.TWOFA_RESEND_COOLDOWN == 5


def test_a_name_that_is_not_a_twofa_setting_is_an_error():
    with pytest.raises(AttributeError):
        twofa_settings.TWOFA_NO_SUCH_SETTING  # noqa: B018 - the access is the test


def test_config_reads_the_environment_into_the_same_defaults():
    """With an empty environment config/settings.py produces exactly twofa.conf's defaults."""
    script = (
        "import json, config.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {sorted(DEFAULTS)!r}}}))"
    )
    env = {"PATH": os.environ["PATH"], "DEBUG": "1"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    produced = json.loads(out.stdout)
    # A project may leave these out: the built-in providers and methods are in twofa.conf.
    missing = {n for n, v in produced.items() if v is None and DEFAULTS[n] is not None}
    assert missing == {"TWOFA_PROVIDER_CLASSES", "TWOFA_METHOD_CLASSES"}
    assert {n: v for n, v in produced.items() if n not in missing} == {
        n: v for n, v in DEFAULTS.items() if n not in missing
    }

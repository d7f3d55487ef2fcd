"""Password rules beyond Django's: a breached-password list shipped with the package, and Khizmat's own public
passwords (the demo's), which anyone can read in the README and must never protect a real account.

Checked offline: no password leaves the server. The list (core/data/README.md) keeps only passwords long enough to
pass the length rule (PASSWORD_MIN_LENGTH), so it stays small in memory (≈ 44,000 entries).
"""

from pathlib import Path

from django.contrib.auth import hashers
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BREACHED_PASSWORDS = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"

# Published passwords of this project: the demo's and the test suite's. Compared case-insensitively.
PUBLIC_PASSWORDS = frozenset({"khizmat-demo-2026", "correct-horse-battery"})

# Symbols people put in place of letters ("P@ssw0rd"): the password is also checked with the letters put back.
# Digits other than 0 stay digits: "1234" at the end of a password is more often meant as digits.
_LETTERS_BACK = str.maketrans({"@": "a", "$": "s", "0": "o", "!": "i", "|": "l"})


class BreachedPasswordValidator(CommonPasswordValidator):
    """Refuse a password found in a breach (as typed, or with look-alike symbols read as letters) or published
    by this project."""

    def __init__(self, password_list_path=BREACHED_PASSWORDS):
        super().__init__(password_list_path=password_list_path)

    def validate(self, password, user=None):
        typed = password.lower().strip()
        if typed in PUBLIC_PASSWORDS:
            raise ValidationError(
                _("This password is published with Khizmat (the demo's). Choose your own."),
                code="password_public",
            )
        if typed in self.passwords or typed.translate(_LETTERS_BACK) in self.passwords:
            raise ValidationError(
                _("This password appears in lists of breached passwords. Choose another one."),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Your password can't be one that appeared in a data breach.")


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Argon2id with OWASP's first recommended setting (Password Storage Cheat Sheet): 19 MiB of memory, two passes,
    one lane. Django's defaults (100 MiB, eight lanes) cost 0.3–0.5 s of a two-core server's CPU per login and
    100 MiB per login at once: under a morning's logins at the counters they queued every other request behind them.
    A hash stored with other parameters is re-hashed at the user's next login (same algorithm name, so it verifies)."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1

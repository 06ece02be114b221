"""`manage.py staff_totp <username>`: enroll an authenticator app for a staff
member from the server's shell, for the first admin login (with DEBUG off the
admin needs a second factor, and a fresh deployment has no way to set one up
in it).

The same services as the API's setupTotp/confirmTotp: the confirmation code
counts against the setup challenge's attempts and is audited; every session of
the user ends, as with any change of factor.
"""

import io
import sys

import segno
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.tokens import token_revoke
from core.exceptions import RateLimited
from twofa.exceptions import CodeExpired, InvalidCode, TooManyAttempts
from twofa.services import recovery_codes_generate, totp_confirm, totp_setup


class Command(BaseCommand):
    help = "Enroll an authenticator app for a staff member (prints a QR code, asks for a code)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--recovery-codes",
            action="store_true",
            help="Also print a fresh set of recovery codes (earlier ones stop working).",
        )

    def handle(self, *args, username, recovery_codes, **options):
        stdin = options.get("stdin") or sys.stdin
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        if not user.is_staff:
            raise CommandError(f"{username!r} is not a staff member.")

        setup = totp_setup(user)
        self.stdout.write(
            "Scan this QR code with the authenticator app, or enter the key by hand.\n"
        )
        qr = io.StringIO()
        segno.make(setup.otpauth_uri).terminal(out=qr, compact=True)
        self.stdout.write(qr.getvalue())
        self.stdout.write(f"\n{setup.otpauth_uri}\nKey: {setup.secret}\n")
        while True:
            self.stdout.write("Code from the app: ", ending="")
            self.stdout.flush()
            code = stdin.readline().strip()
            if not code:
                raise CommandError("No code entered: the app was not enrolled.")
            try:
                tokens = totp_confirm(user, code)
            except InvalidCode as exc:
                self.stdout.write(
                    f"{exc.message} {exc.extensions['attemptsLeft']} attempt(s) left."
                )
            except RateLimited as exc:
                # django-otp waits a little longer after each wrong code.
                self.stdout.write(f"{exc.message} Try again in {exc.extensions['retryAfter']} s.")
            except (CodeExpired, TooManyAttempts) as exc:
                raise CommandError(f"{exc.message} Run the command again.") from exc
            else:
                break
        # The confirmation signs in through the API, which a shell does not need.
        token_revoke(tokens.refresh_token)
        self.stdout.write(self.style.SUCCESS(f"Authenticator app enrolled for {username}."))

        if recovery_codes:
            self.stdout.write("Recovery codes (each works once; keep them somewhere safe):")
            for code in recovery_codes_generate(user):
                self.stdout.write(f"  {code}")

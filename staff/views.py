"""The admin's login pages and its password change: forms in, services called,
domain errors shown on the page. StaffAdminSite routes to them."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, update_session_auth_hash
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.exceptions import InvalidCredentials
from accounts.services import password_change as account_password_change
from core.exceptions import BadUserInput, DomainError, RateLimited
from core.http import client_ip
from staff.forms import CodeForm, LoginForm, PasswordChangeForm
from staff.services import (
    staff_login_pending,
    staff_login_resend,
    staff_login_start,
    staff_login_verify,
)
from twofa.exceptions import CodeExpired, InvalidCode, TooManyAttempts
from twofa.models import Method

PROMPTS = {
    Method.SMS: gettext_lazy("Enter the code we sent by SMS to %(phone)s."),
    Method.CALL: gettext_lazy("Enter the code we read out in a call to %(phone)s."),
    Method.TOTP: gettext_lazy("Enter the code from your authenticator app."),
    Method.PASSKEY: gettext_lazy("Use your passkey."),
}
NOT_SENT = {
    "rate_limited": gettext_lazy(
        "Codes are paused for now (too many sent or too many wrong ones), so no code was sent."
    ),
    "provider_unavailable": gettext_lazy(
        "The SMS service could not be reached, so no code was sent."
    ),
    "phone_refused": gettext_lazy("Codes are not sent to this number, so no code was sent."),
}


def _prompt(pending) -> str:
    if pending.code_sent is not False:
        return str(PROMPTS[Method(pending.channel)]) % {"phone": pending.phone}
    why = str(NOT_SENT.get(pending.not_sent_reason, _("No code could be sent.")))
    others = [m for m in pending.methods if m not in (Method.SMS, Method.CALL)]
    if others:
        instead = _(
            "Use another of your factors (an app, a passkey or a recovery code), "
            "or send a code again."
        )
    else:
        instead = _("Send a code again.")
    if pending.retry_after:
        instead += " " + _retry_text(pending.retry_after)
    return f"{why} {instead}"


def _retry_text(seconds: int) -> str:
    return ngettext(
        "You can send one in %(seconds)s second.",
        "You can send one in %(seconds)s seconds.",
        seconds,
    ) % {"seconds": seconds}


def _error_text(exc: DomainError) -> str:
    if isinstance(exc, RateLimited):
        seconds = exc.extensions["retryAfter"]
        wait = ngettext(
            "Try again in %(seconds)s second.", "Try again in %(seconds)s seconds.", seconds
        ) % {"seconds": seconds}
        return f"{exc.message} {wait}"
    if isinstance(exc, InvalidCode):
        left = exc.extensions["attemptsLeft"]
        attempts = ngettext("%(count)s attempt left.", "%(count)s attempts left.", left) % {
            "count": left
        }
        return f"{exc.message} {attempts}"
    return str(exc.message)


def _next_url(request, site) -> str:
    """Where to go after the login: `next` if it stays on this site, else the index."""
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index", current_app=site.name)


def _login_url(site, next_url: str) -> str:
    return f"{reverse('admin:login', current_app=site.name)}?{urlencode({'next': next_url})}"


@sensitive_post_parameters("password")
@never_cache
def login(request, *, site):
    """Step one: the password (admin/login.html, Django's own page)."""
    if request.method == "GET" and site.has_permission(request):
        return HttpResponseRedirect(reverse("admin:index", current_app=site.name))
    next_url = _next_url(request, site)
    form = LoginForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            pending = staff_login_start(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except DomainError as exc:
            form.add_error(None, _error_text(exc))
        else:
            if pending is None:  # DEBUG, no factor: signed in on the password
                return HttpResponseRedirect(next_url)
            verify = reverse("admin:login_verify", current_app=site.name)
            return HttpResponseRedirect(f"{verify}?{urlencode({'next': next_url})}")
    request.current_app = site.name
    context = {
        **site.each_context(request),
        "title": _("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
        "form": form,
        REDIRECT_FIELD_NAME: next_url,
    }
    return TemplateResponse(request, "admin/login.html", context)


def _answerable(pending) -> list[str]:
    """The methods a typed code may come from: a phone only once a code went to
    it (the Send buttons do that for a login that began with the app, or whose
    code could not be sent). A passkey answers through the page's script."""
    methods = [m for m in pending.methods if m != Method.PASSKEY]
    if pending.channel in (Method.SMS, Method.CALL) and pending.code_sent is not False:
        return methods
    return [m for m in methods if m not in (Method.SMS, Method.CALL)]


@sensitive_post_parameters("code", "credential")
@never_cache
def login_verify(request, *, site):
    """Step two: a code from a second factor, a passkey's assertion (posted by
    staff/passkey.js), or a (re)send to the phone."""
    next_url = _next_url(request, site)
    pending = staff_login_pending(request)
    if pending is None:
        return HttpResponseRedirect(_login_url(site, next_url))
    form = CodeForm(methods=_answerable(pending), initial={"method": pending.channel})
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "verify")
        try:
            if action in (Method.SMS, Method.CALL):
                pending = staff_login_resend(request, channel=action)
                form = CodeForm(methods=_answerable(pending), initial={"method": pending.channel})
            elif action == Method.PASSKEY and pending.passkey_options:
                credential = request.POST.get("credential", "")
                staff_login_verify(request, code=credential, method=Method.PASSKEY)
                return HttpResponseRedirect(next_url)
            else:
                form = CodeForm(request.POST, methods=_answerable(pending))
                if form.is_valid():
                    staff_login_verify(
                        request,
                        code=form.cleaned_data["code"],
                        method=form.cleaned_data["method"],
                    )
                    return HttpResponseRedirect(next_url)
        except (CodeExpired, TooManyAttempts) as exc:
            messages.error(request, f"{exc.message} {_('Sign in again.')}")
            return HttpResponseRedirect(_login_url(site, next_url))
        except InvalidCode as exc:
            if exc.extensions["attemptsLeft"] == 0:
                messages.error(request, f"{TooManyAttempts.default_message} {_('Sign in again.')}")
                return HttpResponseRedirect(_login_url(site, next_url))
            error = _error_text(exc)
        except DomainError as exc:
            error = _error_text(exc)
    request.current_app = site.name
    has_phone = Method.SMS in pending.methods
    context = {
        **site.each_context(request),
        "title": _("Second factor"),
        "form": form,
        "error": error,
        "prompt": _prompt(pending),
        "can_send": has_phone,
        "can_type": bool(_answerable(pending)),
        "passkey_options": pending.passkey_options,
        REDIRECT_FIELD_NAME: next_url,
    }
    return TemplateResponse(request, "staff/login_verify.html", context)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change(request, *, site):
    """The admin's own password change, through accounts' password_change: a
    wrong old password counts as a failed login, and every session of the
    user ends, except this one, which carries on."""
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            account_password_change(
                request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                ip=client_ip(request),
            )
        except InvalidCredentials as exc:
            form.add_error("old_password", exc.message)
        except BadUserInput as exc:
            for text in exc.extensions.get("fields", {}).get("newPassword", [exc.message]):
                form.add_error("new_password2", text)
        except RateLimited as exc:
            # On the field: the admin's template shows no form-wide errors.
            form.add_error("old_password", _error_text(exc))
        else:
            update_session_auth_hash(request, request.user)
            return HttpResponseRedirect(
                reverse("admin:password_change_done", current_app=site.name)
            )
    request.current_app = site.name
    context = {**site.each_context(request), "title": _("Password change"), "form": form}
    return TemplateResponse(request, "registration/password_change_form.html", context)

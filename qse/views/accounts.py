"""Account pages that need more than django.contrib.auth gives: a throttled password reset."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from qse.throttle import client_address, hit


def reset_counter_keys(*, email: str, address: str) -> tuple[str, str]:
    """The Redis keys counting reset requests of an account (by e-mail) and of an address."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"qse:password-reset:account:{digest}", f"qse:password-reset:address:{address}"


def password_reset_allowed(request, email: str) -> bool:
    """Count this request per account and per client address; False past either limit.
    Both counters move on every request, known address or not, so they reveal nothing."""
    limits = settings.QSE_PASSWORD_RESET_LIMITS
    account_key, address_key = reset_counter_keys(email=email, address=client_address(request))
    per_account = hit(account_key, limits["window_seconds"])
    per_address = hit(address_key, limits["window_seconds"])
    return per_account <= limits["per_account"] and per_address <= limits["per_address"]


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset page; past the limits no mail goes out, and the answer is the same
    redirect to "check your e-mail", so the page is neither a mail cannon nor an account oracle."""

    def form_valid(self, form):
        if not password_reset_allowed(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)

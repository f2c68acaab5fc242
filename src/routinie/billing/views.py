"""/account/billing/: the plans, the card form (the processor's script, this page only), the
person's plan and invoices; subscribing, cancelling."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from routinie.accounts.auth import signed_in_user
from routinie.billing import presenters, processor, selectors, services
from routinie.billing.forms import SubscribeForm
from routinie.billing.plans import GRACE_DAYS, plan_named
from routinie.core.errors import DomainError
from routinie.core.forms import add_domain_errors
from routinie.core.middleware import csp_exception


def _page(request: HttpRequest, form: SubscribeForm, status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    subscription = selectors.subscription_of(user)
    context: dict[str, Any] = {
        "plans": presenters.plans(),
        "subscription": subscription,
        "plan": plan_named(subscription.plan_id),
        "invoices": [presenters.invoice(i) for i in selectors.invoices_of(user)],
        "form": form,
        "card_script": processor.card_form_script(),
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "grace_days": GRACE_DAYS,
    }
    return render(request, "billing/billing.html", context, status=status)


@login_required
@csp_exception(processor.card_form_sources)
def billing(request: HttpRequest) -> HttpResponse:
    return _page(request, SubscribeForm())


@login_required
@require_POST
def setup_intent(request: HttpRequest) -> JsonResponse:
    try:
        return JsonResponse({"client_secret": processor.setup_intent()})
    except DomainError as error:
        return JsonResponse({"detail": error.detail}, status=error.status)


@login_required
@require_POST
@csp_exception(processor.card_form_sources)
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST)
    if form.is_valid():
        try:
            services.subscribe(
                user=signed_in_user(request),
                plan_id=form.cleaned_data["plan_id"],
                payment_method_id=form.cleaned_data["payment_method_id"],
            )
        except DomainError as error:
            add_domain_errors(form, error)
            return _page(request, form, status=error.status)
        messages.success(request, "Thank you: your plan is active.")
        return redirect("billing:billing")
    return _page(request, form, status=422)


@login_required
@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    try:
        services.cancel(user=signed_in_user(request))
        messages.success(request, "Cancelled: your plan lasts to the end of the period you paid.")
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect("billing:billing")

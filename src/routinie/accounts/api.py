"""The accounts part of API v1: sign-up, tokens, /me, password, sessions.

`DELETE /me` (erasure) is privacy's, added to `me_router` by `routinie.privacy.erasure_api`.
"""

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from routinie.accounts import password_reset, selectors, services, throttling, two_factor
from routinie.accounts.auth import api_user
from routinie.accounts.models import User
from routinie.accounts.policy_terms import policy_terms
from routinie.accounts.schemas import (
    MeOut,
    MePatch,
    PasswordChangeIn,
    PasswordResetAccepted,
    PasswordResetConfirmIn,
    PasswordResetIn,
    RecoveryCodesOut,
    RevokedOut,
    SessionList,
    SignUpIn,
    SignUpOut,
    TokenCreatedOut,
    TokenCreateIn,
    TokenList,
    TwoFactorBeginIn,
    TwoFactorConfirmIn,
    TwoFactorOffIn,
    TwoFactorSetupOut,
)
from routinie.core.errors import DomainError
from routinie.core.schemas import ErrorOut, TextParam
from routinie.core.throttling import client_address

auth_router = Router(tags=["accounts"])
me_router = Router(tags=["accounts"])


@auth_router.post("/signup", auth=None, response={201: SignUpOut})
def signup(request: HttpRequest, payload: SignUpIn) -> Status[User]:
    slot = throttling.sign_up_per_client().take(client_address(request))
    try:
        user = services.sign_up(
            name=payload.name,
            email=payload.email,
            password=payload.password,
            accept_policy_version=payload.accept_policy_version,
            timezone_name=payload.timezone,
        )
    except DomainError:
        slot.give_back()  # only accounts made count
        raise
    return Status(201, user)


@auth_router.post("/tokens", auth=None, response={201: TokenCreatedOut})
def create_token(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, object]]:
    user = services.check_credentials(
        request=request, email=payload.email, password=payload.password
    )
    two_factor.require_code(user=user, code=payload.otp)
    token, secret = services.create_api_token(user=user, label=payload.label)
    return Status(201, {"id": token.id, "label": token.label, "token": secret})


@auth_router.post("/password-reset", auth=None, response={202: PasswordResetAccepted})
def request_password_reset(
    request: HttpRequest, payload: PasswordResetIn
) -> Status[dict[str, str]]:
    """The same answer whether or not the address has an account; the e-mail is queued."""
    password_reset.request_reset(email=payload.email, client=client_address(request))
    return Status(202, {"detail": password_reset.REQUESTED})


@auth_router.post("/password-reset/confirm", auth=None, response={204: None})
def confirm_password_reset(request: HttpRequest, payload: PasswordResetConfirmIn) -> HttpResponse:
    password_reset.reset_password(secret=payload.token, new_password=payload.new_password)
    return HttpResponse(status=204)


@auth_router.get("/tokens", response=TokenList)
def list_tokens(request: HttpRequest) -> dict[str, object]:
    return {"items": list(selectors.tokens_of(api_user(request)))}


@auth_router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request: HttpRequest, token_id: UUID) -> Status[None]:
    services.revoke_api_token(user=api_user(request), token_id=str(token_id))
    return Status(204, None)


def _me(user: User) -> dict[str, object]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "timezone": user.timezone,
        "week_start": user.week_start,
        "password_changed_at": user.password_changed_at,
        "policy_version_accepted": policy_terms().version_accepted_by(user),
        "forgotten_timer_hours": user.forgotten_timer_hours,
    }


@me_router.get("", response=MeOut)
def me(request: HttpRequest) -> dict[str, object]:
    return _me(api_user(request))


@me_router.patch("", response=MeOut)
def update_me(request: HttpRequest, payload: MePatch) -> dict[str, object]:
    user = services.update_profile(
        user=api_user(request),
        name=payload.name,
        email=payload.email,
        timezone_name=payload.timezone,
        week_start=payload.week_start,
        forgotten_timer_hours=payload.forgotten_timer_hours,
        current_password=payload.current_password,
    )
    return _me(user)


@me_router.post("/password", response={204: None})
def change_password(request: HttpRequest, payload: PasswordChangeIn) -> HttpResponse:
    services.change_password(
        user=api_user(request),
        current_password=payload.current_password,
        new_password=payload.new_password,
        request=request,
    )
    return HttpResponse(status=204)


@me_router.get("/sessions", response=SessionList)
def list_sessions(request: HttpRequest) -> dict[str, object]:
    current = None if getattr(request, "auth_via_token", False) else request.session.session_key
    items = [
        {
            "id": s.public_id,
            "device": s.device or "Unknown device",
            "last_active": s.last_active,
            "current": s.session_key == current,
        }
        for s in selectors.sessions_of(api_user(request))
    ]
    return {"items": items}


@me_router.post("/sessions/revoke-others", response=RevokedOut)
def revoke_other_sessions(request: HttpRequest) -> dict[str, int]:
    return {"revoked": services.revoke_other_sessions(user=api_user(request), request=request)}


@me_router.delete("/sessions/{session_id}", response={204: None})
def revoke_session(request: HttpRequest, session_id: TextParam) -> Status[None]:
    services.revoke_session(user=api_user(request), public_id=session_id)
    return Status(204, None)


# What the two-factor operations answer besides success (the API's error shape).
TWO_FACTOR_ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


@me_router.post("/2fa", response={200: TwoFactorSetupOut, **TWO_FACTOR_ERRORS})
def begin_two_factor(request: HttpRequest, payload: TwoFactorBeginIn) -> dict[str, str]:
    """Set up two-factor sign-in: a new secret for an authenticator app, not active until
    confirmed with a code (`POST /me/2fa/confirm`)."""
    setup = two_factor.begin(user=api_user(request), password=payload.password)
    return {"secret": setup.secret, "otpauth_uri": setup.otpauth_uri}


@me_router.post("/2fa/confirm", response={200: RecoveryCodesOut, **TWO_FACTOR_ERRORS})
def confirm_two_factor(request: HttpRequest, payload: TwoFactorConfirmIn) -> dict[str, object]:
    """Turn two-factor sign-in on with a code from the app; ten recovery codes, shown once."""
    codes = two_factor.confirm(user=api_user(request), code=payload.code)
    return {"recovery_codes": codes}


@me_router.delete("/2fa", response={204: None, **TWO_FACTOR_ERRORS})
def turn_off_two_factor(request: HttpRequest, payload: TwoFactorOffIn) -> HttpResponse:
    """Turn two-factor sign-in off: the password and a code (or a recovery code)."""
    two_factor.turn_off(user=api_user(request), password=payload.password, code=payload.code)
    return HttpResponse(status=204)

from django.urls import path

from routinie.accounts import reset_views, two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_page, name="login"),
    path("login/code/", two_factor_views.login_code, name="login-code"),
    path("logout/", views.logout_page, name="logout"),
    path("password-reset/", reset_views.request_page, name="password-reset"),
    path("password-reset/<str:token>/", reset_views.confirm_page, name="password-reset-confirm"),
    path("account/", views.account, name="account"),
    path("confirm-email/<str:token>/", views.confirm_email_page, name="confirm-email"),
    path("account/confirm-email/resend/", views.resend_confirmation, name="resend-confirmation"),
    path("account/confirm/", two_factor_views.confirm_its_you, name="confirm-its-you"),
    path("account/two-factor/", two_factor_views.page, name="two-factor"),
    path("account/two-factor/begin/", two_factor_views.begin, name="two-factor-begin"),
    path("account/two-factor/confirm/", two_factor_views.confirm, name="two-factor-confirm"),
    path("account/two-factor/off/", two_factor_views.turn_off, name="two-factor-off"),
    path(
        "account/two-factor/recovery-codes/",
        two_factor_views.new_codes,
        name="two-factor-recovery-codes",
    ),
    path("account/profile/", views.account_profile, name="profile"),
    path("account/password/", views.account_password, name="password"),
    path(
        "account/sessions/revoke-others/",
        views.account_sessions_revoke_others,
        name="sessions-revoke-others",
    ),
    path(
        "account/sessions/<str:public_id>/revoke/",
        views.account_session_revoke,
        name="session-revoke",
    ),
    path("account/tokens/", views.account_token_create, name="token-create"),
    path("account/tokens/<uuid:token_id>/revoke/", views.account_token_revoke, name="token-revoke"),
]

"""The account endpoints under /api/accounts/v1/.

None of their answers may be cached: each carries a token or the user's data.
"""

from django.urls import path
from django.views.decorators.cache import never_cache

{% if cookiecutter.use_google_login -%}
from .social.google import GoogleLoginView
{% endif -%}
{% if cookiecutter.use_kakao_login -%}
from .social.kakao import KakaoLoginView
{% endif -%}
from .views import auth, password, sessions, user{% if cookiecutter.email_verification != "none" %}, verification{% endif %}

app_name = "accounts"

endpoints = [
    path("registration/", never_cache(auth.RegisterView.as_view()), name="register"),
{%- if cookiecutter.email_verification != "none" %}
    path("registration/verify-email/", never_cache(verification.VerifyEmailView.as_view()), name="verify_email"),
    path(
        "registration/resend-email/",
        never_cache(verification.ResendEmailVerificationView.as_view()),
        name="resend_email",
    ),
{%- endif %}
    path("login/", never_cache(auth.LoginView.as_view()), name="login"),
    path("logout/", never_cache(auth.LogoutView.as_view()), name="logout"),
    path("logout/all/", never_cache(auth.LogoutAllView.as_view()), name="logout_all"),
    path("user/", never_cache(user.UserDetailsView.as_view()), name="user"),
    path("sessions/", never_cache(sessions.SessionListView.as_view()), name="sessions"),
    path("sessions/<uuid:session_id>/", never_cache(sessions.SessionDetailView.as_view()), name="session"),
    path("password/change/", never_cache(password.PasswordChangeView.as_view()), name="password_change"),
    path("password/reset/", never_cache(password.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password/reset/confirm/",
        never_cache(password.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path("token/verify/", never_cache(auth.TokenVerifyView.as_view()), name="token_verify"),
    path("token/refresh/", never_cache(auth.TokenRefreshView.as_view()), name="token_refresh"),
    path("csrf/", never_cache(auth.CsrfTokenView.as_view()), name="csrf"),
{%- if cookiecutter.use_google_login %}
    path("social/google/", never_cache(GoogleLoginView.as_view()), name="social_google"),
{%- endif %}
{%- if cookiecutter.use_kakao_login %}
    path("social/kakao/", never_cache(KakaoLoginView.as_view()), name="social_kakao"),
{%- endif %}
]

# The root lists the endpoints that take no part of their path from the request.
listed = [endpoint.name for endpoint in endpoints if endpoint.name and not endpoint.pattern.converters]

urlpatterns = [
    path("", user.EndpointListView.as_view(endpoint_names=listed), name="root"),
    *endpoints,
]

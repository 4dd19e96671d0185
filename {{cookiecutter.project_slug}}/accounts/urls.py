from django.urls import path

from . import views

app_name = "accounts"

endpoints = [
    path("registration/", views.RegisterView.as_view(), name="register"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("user/", views.UserDetailsView.as_view(), name="user"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/confirm/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("token/verify/", views.TokenVerifyView.as_view(), name="token_verify"),
    path("token/refresh/", views.TokenRefreshView.as_view(), name="token_refresh"),
    path("csrf/", views.CsrfTokenView.as_view(), name="csrf"),
]

urlpatterns = [
    path("", views.EndpointListView.as_view(endpoint_names=[endpoint.name for endpoint in endpoints]), name="root"),
    *endpoints,
]

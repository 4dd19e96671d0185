import pytest

from accounts.checks import check_password_reset_confirm_url


def test_the_default_reset_url_passes():
    assert check_password_reset_confirm_url(None) == []


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com/reset/",
        "https://app.example.com/reset/{uid}/",
        "https://app.example.com/reset/{uid}/{token}/{extra}/",
        "https://app.example.com/reset/{uid/{token}",
    ],
)
def test_a_reset_url_without_exactly_uid_and_token_is_an_error(settings, url):
    settings.PASSWORD_RESET_CONFIRM_URL = url

    [error] = check_password_reset_confirm_url(None)

    assert error.id == "accounts.E001"
    assert "{uid} and {token}" in error.msg

"""Log in with Google, against Google's endpoints as they answer."""

import time

import jwt
import pytest

from accounts.models import User

from .social import ACCESS_TOKEN, CLIENT_ID, FakeProvider, ProviderAccount, SocialLoginContract


class FakeGoogle(FakeProvider):
    id = "google"
    name = "Google"
    token_url = "https://oauth2.googleapis.com/token"
    user_info_url = "https://www.googleapis.com/oauth2/v2/userinfo"
    token_info_url = "https://oauth2.googleapis.com/tokeninfo"

    def user_info(self, account: ProviderAccount) -> dict[str, object]:
        info: dict[str, object] = {"id": account.uid, "picture": "https://lh3.googleusercontent.com/a/photo"}
        if account.email is not None:
            info |= {"email": account.email, "verified_email": account.verified}
        return info

    def accept_token(self, account: ProviderAccount, audience: str = CLIENT_ID) -> None:
        self.network.get(self.token_info_url, json={"aud": audience, "azp": audience, "expires_in": 3599})
        super().accept_token(account)

    def refuse_token(self) -> None:
        self.network.get(self.token_info_url, status=400, json={"error_description": "Invalid Value"})
        super().refuse_token()

    def id_token(self, audience: str = CLIENT_ID, **claims: object) -> str:
        """An ID token as Google's token endpoint returns it, which comes over TLS: its signature goes unchecked."""
        now = int(time.time())
        payload = {"iss": "https://accounts.google.com", "aud": audience, "iat": now, "exp": now + 3600, **claims}
        return jwt.encode(payload, "a-key-that-only-google-would-have-0123456789", algorithm="HS256")


class TestGoogleLogin(SocialLoginContract):
    provider_class = FakeGoogle

    @pytest.mark.django_db
    def test_the_id_token_of_the_code_exchange_names_the_user_without_another_request(self, api_client, provider):
        id_token = provider.id_token(sub="1029384756", email="grace@example.com", email_verified=True)
        provider.network.post(provider.token_url, json={**provider.token_answer(), "id_token": id_token})

        response = self.log_in(api_client, provider)

        assert response.status_code == 200, response.content
        assert User.objects.get().email == "grace@example.com"
        assert [call.request.url for call in provider.network.calls] == [provider.token_url]

    @pytest.mark.django_db
    def test_an_id_token_for_another_app_is_refused(self, api_client, provider):
        id_token = provider.id_token(audience="another-app", sub="1", email="grace@example.com", email_verified=True)
        provider.network.post(provider.token_url, json={**provider.token_answer(), "id_token": id_token})

        response = self.log_in(api_client, provider)

        assert response.status_code == 400
        assert not User.objects.exists()

    @pytest.mark.django_db
    def test_an_access_token_that_google_issued_to_another_app_is_refused(self, api_client, provider):
        # Any site a user logs in to with Google holds such a token; it must not log in here as them.
        provider.accept_token(ProviderAccount(), audience="another-app.apps.googleusercontent.com")

        response = self.log_in(api_client, provider, access_token=ACCESS_TOKEN)

        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["Google did not accept this code or token."]}
        assert provider.user_info_url not in [call.request.url for call in provider.network.calls]
        assert not User.objects.exists()

    @pytest.mark.django_db
    def test_the_account_takes_the_names_google_gives_cut_to_fit(self, api_client, provider):
        provider.network.post(provider.token_url, json=provider.token_answer())
        info = provider.user_info(ProviderAccount())
        provider.network.get(provider.user_info_url, json={**info, "given_name": "Grace", "family_name": "H" * 300})

        response = self.log_in(api_client, provider)

        assert response.status_code == 200, response.content
        user = User.objects.get()
        assert (user.first_name, user.last_name) == ("Grace", "H" * 150)

    @pytest.mark.django_db
    def test_google_without_an_address_creates_no_account(self, api_client, provider):
        provider.accept_code(ProviderAccount(email=None))

        response = self.log_in(api_client, provider)

        assert response.status_code == 400
        assert response.json() == {
            "non_field_errors": ["Google did not share an email address. Allow access to it, then try again."]
        }
        assert not User.objects.exists()

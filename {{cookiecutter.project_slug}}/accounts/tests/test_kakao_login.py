"""Log in with Kakao, against Kakao's endpoints as they answer."""

import pytest

from accounts.models import User

from .korean import assert_korean
from .social import ACCESS_TOKEN, CLIENT_ID, FakeProvider, ProviderAccount, SocialLoginContract

APP_ID = 1234567


@pytest.fixture(autouse=True)
def kakao_app_id(settings):
    settings.KAKAO_APP_ID = str(APP_ID)


class FakeKakao(FakeProvider):
    id = "kakao"
    name = "Kakao"
    token_url = "https://kauth.kakao.com/oauth/token"
    user_info_url = "https://kapi.kakao.com/v2/user/me"
    token_info_url = "https://kapi.kakao.com/v1/user/access_token_info"

    def user_info(self, account: ProviderAccount) -> dict[str, object]:
        kakao_account: dict[str, object] = {"profile": {"nickname": "Grace"}, "has_email": True}
        if account.email is None:
            # The user did not consent to share the address (the account_email item).
            kakao_account["email_needs_agreement"] = True
        else:
            kakao_account |= {
                "email_needs_agreement": False,
                "is_email_valid": True,
                "is_email_verified": account.verified,
                "email": account.email,
            }
        return {"id": int(account.uid), "properties": {"nickname": "Grace"}, "kakao_account": kakao_account}

    def accept_token(self, account: ProviderAccount, app_id: int = APP_ID) -> None:
        self.network.get(self.token_info_url, json={"id": int(account.uid), "expires_in": 7199, "app_id": app_id})
        super().accept_token(account)

    def refuse_token(self) -> None:
        self.network.get(
            self.token_info_url, status=401, json={"msg": "this access token does not exist", "code": -401}
        )
        super().refuse_token()


class TestKakaoLogin(SocialLoginContract):
    provider_class = FakeKakao

    @pytest.mark.django_db
    def test_kakao_without_the_address_creates_no_account_and_says_what_to_allow(self, api_client, provider):
        provider.accept_code(ProviderAccount(email=None))

        response = self.log_in(api_client, provider)

        assert response.status_code == 400
        assert response.json() == {
            "non_field_errors": ["Kakao did not share an email address. Allow access to it, then try again."]
        }
        assert not User.objects.exists()

    @pytest.mark.django_db
    def test_a_known_kakao_account_logs_in_even_without_the_address(self, api_client, provider):
        provider.accept_code(ProviderAccount())
        self.log_in(api_client, provider)
        provider.network.reset()
        provider.accept_code(ProviderAccount(email=None))

        response = self.log_in(api_client, provider)

        assert response.status_code == 200, response.content
        assert response.json()["user"]["email"] == "grace@example.com"

    @pytest.mark.django_db
    def test_the_client_secret_is_sent_only_when_the_app_has_one(self, api_client, provider, settings):
        provider.accept_code(ProviderAccount())
        self.log_in(api_client, provider)
        assert provider.token_request()["client_secret"] == ["test-client-secret"]

        settings.SOCIALACCOUNT_PROVIDERS = {"kakao": {"APPS": [{"client_id": CLIENT_ID, "secret": ""}]}}
        provider.network.reset()
        provider.accept_code(ProviderAccount())
        self.log_in(api_client, provider)
        assert "client_secret" not in provider.token_request()

    @pytest.mark.django_db
    def test_an_access_token_that_kakao_issued_to_another_app_is_refused(self, api_client, provider):
        # Any app a user logs in to with Kakao holds such a token; it must not log in here as them.
        provider.accept_token(ProviderAccount(), app_id=7654321)

        response = self.log_in(api_client, provider, access_token=ACCESS_TOKEN)

        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["Kakao did not accept this code or token."]}
        assert provider.user_info_url not in [call.request.url for call in provider.network.calls]
        assert not User.objects.exists()

    @pytest.mark.django_db
    def test_without_the_app_id_access_tokens_are_refused_and_codes_still_work(self, api_client, provider, settings):
        settings.KAKAO_APP_ID = ""
        provider.accept_code(ProviderAccount())

        refused = self.log_in(api_client, provider, access_token=ACCESS_TOKEN)
        accepted = self.log_in(api_client, provider)

        assert refused.status_code == 400
        assert refused.json() == {
            "non_field_errors": ["This server takes no Kakao access tokens: send the code instead."]
        }
        assert accepted.status_code == 200, accepted.content

    @pytest.mark.django_db
    def test_without_the_app_id_the_refusal_of_access_tokens_is_korean(self, korean_client, provider, settings):
        settings.KAKAO_APP_ID = ""

        response = self.log_in(korean_client, provider, access_token=ACCESS_TOKEN)

        assert response.status_code == 400
        assert_korean(response)

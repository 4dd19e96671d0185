"""Log in with Kakao, against Kakao's endpoints as they answer."""

import pytest

from accounts.models import User

from .social import CLIENT_ID, FakeProvider, ProviderAccount, SocialLoginContract


class FakeKakao(FakeProvider):
    id = "kakao"
    name = "Kakao"
    token_url = "https://kauth.kakao.com/oauth/token"
    user_info_url = "https://kapi.kakao.com/v2/user/me"

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

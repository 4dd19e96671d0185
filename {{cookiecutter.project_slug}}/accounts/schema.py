"""How the OpenAPI schema describes what drf-spectacular cannot find out by itself.

drf-spectacular lists the answers that a view declares, its successes.
AutoSchemaWithErrors (the DEFAULT_SCHEMA_CLASS) adds the errors each operation
can answer, derived from its view's authentication, permissions, rate limits
and request body, so that a client generated from the schema types them too.
"""

from typing import Any

from dj_rest_auth.app_settings import api_settings as rest_auth_settings
from dj_rest_auth.jwt_auth import JWTCookieAuthentication
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_auth import SimpleJWTCookieScheme
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentRegistry, force_instance
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class SessionJWTScheme(SimpleJWTCookieScheme):
    """SessionJWTAuthentication takes its tokens as dj-rest-auth's does: a Bearer header, or the access cookie."""

    target_class = "accounts.authentication.SessionJWTAuthentication"


# The bodies of the error answers, as DRF, simplejwt and dj-rest-auth send
# them. Only the schema uses these serializers.


class ErrorDetailSerializer(serializers.Serializer[Any]):
    """An error that says what went wrong: DRF's answer to every refusal but a body's invalid fields."""

    detail = serializers.CharField()


class TokenErrorMessageSerializer(serializers.Serializer[Any]):
    """Why the token is not valid as one kind of token."""

    token_class = serializers.CharField()
    token_type = serializers.CharField()
    message = serializers.CharField()


class AuthenticationErrorSerializer(serializers.Serializer[Any]):
    """Not logged in, or a token that does not authenticate; simplejwt adds a code, and why each token type failed."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    messages = TokenErrorMessageSerializer(many=True, required=False)


class FieldErrorsSerializer(serializers.Serializer[Any]):
    """The base of the ValidationError components: field_errors_serializer() makes one per request serializer."""


class ValidationErrorSerializer(FieldErrorsSerializer):
    """The fields of a body that are not valid, each with its messages; non_field_errors for the rest."""


class FieldErrorsScheme(OpenApiSerializerExtension):
    """A ValidationError names at least one field: only the body's own, when the schema knows them."""

    target_class = FieldErrorsSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema: AutoSchema, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if schema.get("properties"):
            # Closed, which also tells it apart from an ErrorDetail.
            other_fields: Any = False
        else:
            other_fields = auto_schema._map_serializer_field(messages_field(), direction)
        return {**schema, "additionalProperties": other_fields, "minProperties": 1}


def messages_field() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), required=False)


def nested_errors_field() -> serializers.JSONField:
    """The errors of a field that holds objects or lists, which DRF answers in the same nesting."""
    return serializers.JSONField(required=False)


def is_nested(field: serializers.Field[Any, Any, Any, Any]) -> bool:
    return isinstance(field, serializers.BaseSerializer | serializers.ListField | serializers.DictField)


# One per serializer class: drf-spectacular takes two classes of one name for a collision.
_field_errors_serializers: dict[type[serializers.Serializer[Any]], type[FieldErrorsSerializer]] = {}


def field_errors_serializer(request_serializer: serializers.Serializer[Any]) -> type[FieldErrorsSerializer]:
    """The errors of a body that request_serializer refuses: the <Name>ValidationError component."""
    serializer_class = type(request_serializer)
    if serializer_class not in _field_errors_serializers:
        fields = {
            name: nested_errors_field() if is_nested(field) else messages_field()
            for name, field in request_serializer.fields.items()
            if not field.read_only
        }
        name = serializer_class.__name__.removesuffix("Serializer")
        _field_errors_serializers[serializer_class] = type(
            f"{name}ValidationErrorSerializer",
            (FieldErrorsSerializer,),
            {
                **fields,
                api_settings.NON_FIELD_ERRORS_KEY: messages_field(),
                "__doc__": f"The fields of a {name} body that are not valid, each with its messages; "
                "non_field_errors for the rest.",
            },
        )
    return _field_errors_serializers[serializer_class]


def bad_request_serializer(request: Any) -> PolymorphicProxySerializer:
    """The 400 answer to a body of this request serializer: its fields' errors, or an ErrorDetail if it is not JSON."""
    request = force_instance(request)
    if isinstance(request, serializers.Serializer):
        field_errors = field_errors_serializer(request)
        name = field_errors.__name__.removesuffix("ValidationErrorSerializer")
    else:
        # A body the schema knows no fields of.
        field_errors, name = ValidationErrorSerializer, "Body"
    return PolymorphicProxySerializer(
        component_name=f"{name}BadRequest",
        # ErrorDetail first: generators that try each in turn, as openapi-python-client does, would
        # otherwise read a detail as field errors, all of whose fields are optional.
        serializers=[ErrorDetailSerializer, field_errors],
        resource_type_field_name=None,
        many=False,
    )


NOT_ACCEPTABLE = OpenApiResponse(ErrorDetailSerializer, _("The Accept header allows no JSON."))
UNAVAILABLE = OpenApiResponse(
    ErrorDetailSerializer, _("The database cannot be reached for a moment: try again after Retry-After seconds.")
)
TOO_LARGE = OpenApiResponse(ErrorDetailSerializer, _("The body is larger than the server accepts."))
UNSUPPORTED_MEDIA_TYPE = OpenApiResponse(ErrorDetailSerializer, _("The body is not JSON."))
NOT_FOUND = OpenApiResponse(ErrorDetailSerializer, _("Nothing that the user may see has this id."))
THROTTLED = OpenApiResponse(ErrorDetailSerializer, _("Too many requests: try again after Retry-After seconds."))
NOT_LOGGED_IN = OpenApiResponse(
    AuthenticationErrorSerializer, _("Not logged in, or the access token is invalid, expired or of an ended session.")
)
# For views that check a token they are given, and answer 401 for a bad one.
BAD_TOKEN = OpenApiResponse(
    AuthenticationErrorSerializer, _("No token, or one that is invalid, expired, used already or of an ended session.")
)
CSRF_FAILED = _("CSRF Failed: a request authenticated by the access cookie must send the X-CSRFToken header.")
PERMISSION_DENIED = _("The user may not do this.")

RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    required=True,
    description=_("Seconds until the limit lets requests through again."),
    response=[429],
)
RETRY_AFTER_UNAVAILABLE = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    description=_("Seconds until the service may be back."),
    response=[503],
)


def www_authenticate(challenge: str) -> OpenApiParameter:
    return OpenApiParameter(
        "WWW-Authenticate",
        str,
        OpenApiParameter.HEADER,
        required=True,
        description=_("How to authenticate: %(challenge)s") % {"challenge": challenge},
        response=[401],
    )


def checks_csrf(authenticator: BaseAuthentication) -> bool:
    """Whether the authenticator refuses a write without the CSRF token, with a 403."""
    if isinstance(authenticator, JWTCookieAuthentication):
        return bool(
            rest_auth_settings.JWT_AUTH_COOKIE_USE_CSRF
            or rest_auth_settings.JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED
        )
    return isinstance(authenticator, SessionAuthentication)


class AutoSchemaWithErrors(AutoSchema):
    """drf-spectacular's AutoSchema, which also lists the error answers of each operation, with their headers.

    An answer that a view declares itself (extend_schema's responses) stays as declared.
    """

    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: ComponentRegistry
    ) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses: dict[str, Any] = operation["responses"]
        for status, response in self.error_responses(takes_body="requestBody" in operation).items():
            if str(status) not in responses:
                # drf-spectacular's own conversion, which adds the headers of get_override_parameters().
                responses[str(status)] = super()._get_response_for_code(response, str(status))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = super().get_override_parameters()
        challenge = self.authenticate_header()
        if challenge:
            parameters.append(www_authenticate(challenge))
        if self.is_rate_limited():
            parameters.append(RETRY_AFTER)
        parameters.append(RETRY_AFTER_UNAVAILABLE)
        return parameters

    def error_responses(self, *, takes_body: bool) -> dict[int, OpenApiResponse]:
        """The error answers the operation can give, by status."""
        errors = {406: NOT_ACCEPTABLE, 503: UNAVAILABLE}
        if takes_body:
            bad_request = bad_request_serializer(self.get_request_serializer())
            errors[400] = OpenApiResponse(bad_request, _("The body is not valid: each field's messages, or why not."))
            errors[413] = TOO_LARGE
            errors[415] = UNSUPPORTED_MEDIA_TYPE
        if self.authenticate_header():
            errors[401] = NOT_LOGGED_IN if self.view.get_authenticators() else BAD_TOKEN
        forbidden = self.forbidden_reasons()
        if forbidden:
            errors[403] = OpenApiResponse(ErrorDetailSerializer, " ".join(forbidden))
        if "{" in self.path:
            errors[404] = NOT_FOUND
        if self.is_rate_limited():
            errors[429] = THROTTLED
        return errors

    def authenticate_header(self) -> str | None:
        """What DRF sends as WWW-Authenticate with a 401. Without one, DRF answers 403 instead of 401."""
        challenge: str | None = self.view.get_authenticate_header(self.view.request)
        return challenge

    def forbidden_reasons(self) -> list[str]:
        """Why the operation may answer 403; none if it never does."""
        reasons = []
        if self.method not in SAFE_METHODS and any(map(checks_csrf, self.view.get_authenticators())):
            reasons.append(str(CSRF_FAILED))
        # IsAuthenticated refuses with a 401 where DRF can send a WWW-Authenticate header, else with a 403.
        permitted = (AllowAny, IsAuthenticated) if self.authenticate_header() else (AllowAny,)
        if any(not isinstance(permission, permitted) for permission in self.view.get_permissions()):
            reasons.append(str(PERMISSION_DENIED))
        return reasons

    def is_rate_limited(self) -> bool:
        """Whether one of the view's throttles has a rate, and so may answer 429."""
        for throttle in self.view.get_throttles():
            if isinstance(throttle, ScopedRateThrottle):
                # The rate of the view's throttle_scope, if it names one.
                scope = getattr(self.view, throttle.scope_attr, None)
                if scope and throttle.THROTTLE_RATES.get(scope) is not None:
                    return True
            elif getattr(throttle, "rate", True) is not None:
                return True
        return False

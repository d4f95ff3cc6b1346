"""API tokens in the `Authorization` header, as `Token <token>` or as OAuth clients send them,
`Bearer <token>`.

knox reads only its own prefix and decodes the token as UTF-8 without a check: a header of other bytes
was a 500, and a Bearer header was ignored, so that a client with a wrong token read anonymously without
knowing it. Here either scheme is read the same way and any token that is not one is a 401.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox import auth
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header

SCHEMES = (b"token", b"bearer")


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() not in SCHEMES:
            return None  # another scheme (Basic, ...), for another authentication class or none
        if len(words) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header: give `Token <token>`.")
        token = words[1]
        if not token.isascii() or not token.isalnum():
            raise exceptions.AuthenticationFailed("Invalid token.")
        return self.authenticate_credentials(token)


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An API token (`manage.py api_token create`), sent as `Token <token>` or "
            "`Bearer <token>`.",
        }

"""Token authentication that accepts both `Token <key>` and `Bearer <key>`."""

from rest_framework.authentication import TokenAuthentication, get_authorization_header


class BearerTokenAuthentication(TokenAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower().decode(errors="replace") not in self.keywords:
            return None
        self.keyword = auth[0].decode(errors="replace")
        return super().authenticate(request)

    def authenticate_header(self, request):
        return "Token"

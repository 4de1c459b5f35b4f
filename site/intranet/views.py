from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """For the load balancer: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class LoginView(auth_views.LoginView):
    """The local login, with the way through the municipality's OpenID provider beside it when one is configured."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "single_sign_on": bool(settings.OIDC_ISSUER)}

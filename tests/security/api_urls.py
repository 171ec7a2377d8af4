"""The portal's URLs plus one staff API view with DRF's default settings, to test them."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView


class ProbeView(APIView):
    """A staff API endpoint relying only on the project's DRF defaults."""

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("api/v1/probe/", ProbeView.as_view()),
    path("", include("portal.urls")),
]

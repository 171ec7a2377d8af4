"""The portal's URLs plus staff API views relying on the project's DRF defaults, to test them."""

from django.urls import include, path
from rest_framework import serializers
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from partnership import permissions
from partnership.models import Partnership, Role


class ProbeView(APIView):
    """A staff API endpoint relying only on the project's DRF defaults."""

    def get(self, request):
        return Response({"ok": True})


class PartnershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partnership
        fields = ["slug", "name", "description"]


def _administered_by(user):
    return permissions.partnerships_visible_to(user).filter(
        memberships__user=user, memberships__role=Role.PARTNERSHIP_ADMIN
    )


class ScopedPartnershipView(RetrieveUpdateAPIView):
    """Names its scope: members read, administrators change."""

    queryset = Partnership.objects.all()
    serializer_class = PartnershipSerializer
    lookup_field = "slug"
    objects_visible_to = staticmethod(permissions.partnerships_visible_to)
    objects_changeable_by = staticmethod(_administered_by)


class UnscopedPartnershipView(RetrieveUpdateAPIView):
    """Forgets to name its scope: refused, whoever asks."""

    queryset = Partnership.objects.all()
    serializer_class = PartnershipSerializer
    lookup_field = "slug"


urlpatterns = [
    path("api/v1/probe/", ProbeView.as_view()),
    path("api/v1/scoped/<slug:slug>/", ScopedPartnershipView.as_view()),
    path("api/v1/unscoped/<slug:slug>/", UnscopedPartnershipView.as_view()),
    path("", include("portal.urls")),
]

"""`/api/oruk/`: both `/services` and `/services/` answer, as ORUK validators use either."""

from django.urls import re_path

from directory.api import views
from portal.public import public_page

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

urlpatterns = [
    re_path(r"^$", public_page(views.ApiRoot.as_view()), name="oruk_root"),
    re_path(r"^openapi\.json$", public_page(views.openapi_document), name="oruk_openapi"),
    re_path(r"^services/?$", public_page(views.ServiceList.as_view()), name="oruk_services"),
    re_path(
        rf"^services/(?P<service_id>{UUID})/?$",
        public_page(views.ServiceDetail.as_view()),
        name="oruk_service",
    ),
    re_path(
        r"^service_at_locations/?$",
        public_page(views.ServiceAtLocationList.as_view()),
        name="oruk_service_at_locations",
    ),
    re_path(
        rf"^service_at_locations/(?P<link_id>{UUID})/?$",
        public_page(views.ServiceAtLocationDetail.as_view()),
        name="oruk_service_at_location",
    ),
    re_path(r"^taxonomies/?$", public_page(views.TaxonomyList.as_view()), name="oruk_taxonomies"),
    re_path(
        rf"^taxonomies/(?P<taxonomy_id>{UUID})/?$",
        public_page(views.TaxonomyDetail.as_view()),
        name="oruk_taxonomy",
    ),
    re_path(
        r"^taxonomy_terms/?$",
        public_page(views.TaxonomyTermList.as_view()),
        name="oruk_taxonomy_terms",
    ),
    re_path(
        rf"^taxonomy_terms/(?P<term_id>{UUID})/?$",
        public_page(views.TaxonomyTermDetail.as_view()),
        name="oruk_taxonomy_term",
    ),
]

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from intranet import oidc, views
from safety_pages.access import media as media_views
from safety_pages.editing.admin_scope import ADMIN_URLS as NARROWED_ADMIN_URLS
from safety_pages.frontend.sitemap import IntranetSitemap

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("login/", views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    # Single sign-on with the municipality's OpenID provider: 404 unless OIDC_ISSUER is set (intranet.oidc).
    path("login/kommunen/", oidc.LoginStartView.as_view(), name="oidc_authentication_init"),
    path("login/kommunen/retur/", oidc.LoginCallbackView.as_view(), name="oidc_authentication_callback"),
    path("logout/", oidc.IntranetLogoutView.as_view(), name="logout"),
    # Before Wagtail's admin: our views over the admin views that would name pages and tags the user may not see.
    path("admin/", include(NARROWED_ADMIN_URLS)),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's serve view for documents, with our caching headers (Wagtail's own route stays for the rest).
    re_path(r"^documents/(\d+)/(.*)$", media_views.serve_document),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": IntranetSitemap}}, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("search.urls")),
    path("", include("safety_pages.urls")),
]

# Media files are served by the app in every environment, so closed pages' images stay closed
# (the web server in front must not serve MEDIA_ROOT itself; see README, "Roles, workflow and access").
urlpatterns += [path(settings.MEDIA_URL.lstrip("/") + "<path:path>", media_views.serve_media, name="media")]

# Wagtail serves every other path from the page tree; it must stay last.
urlpatterns += [path("", include(wagtail_urls))]

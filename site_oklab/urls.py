"""URLs: admin, documents, sitemap and health outside the language prefix; pages inside it.

German is the site's own language and has no prefix (/); English lives under /en/.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from labs import urls as labs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("feeds/", include("network.urls")),
    path("calendar/", include(labs_urls.calendar_patterns)),
    path("api/v1/", include(labs_urls.api_patterns)),
    path("healthz", home_views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": home_views.I18nSitemap}}, name="sitemap"),
    re_path(r"^media/(?P<path>.+)$", home_views.serve_media, name="media"),
]

urlpatterns += i18n_patterns(
    path("search/", home_views.search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns = staticfiles_urlpatterns() + urlpatterns

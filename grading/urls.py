from django.urls import path

from grading import views_campaign

app_name = "grading"

urlpatterns = [
    path("campaigns/", views_campaign.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views_campaign.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/open/", views_campaign.campaign_open, name="campaign_open"),
    path("campaigns/<int:pk>/close/", views_campaign.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/variants/", views_campaign.variant_add, name="variant_add"),
    path(
        "campaigns/<int:pk>/templates/<int:template_pk>/delete/",
        views_campaign.variant_delete,
        name="variant_delete",
    ),
    path("campaigns/<int:pk>/dimensions/<int:dimension_pk>/", views_campaign.dimension_edit, name="dimension_edit"),
    path("campaigns/<int:pk>/dimensions/<int:dimension_pk>/items/new/", views_campaign.item_add, name="item_add"),
    path("campaigns/<int:pk>/items/<int:item_pk>/", views_campaign.item_edit, name="item_edit"),
    path("campaigns/<int:pk>/items/<int:item_pk>/delete/", views_campaign.item_delete, name="item_delete"),
]

# Each area keeps its URLs in its own file so that they can grow without touching each other.
from grading import urls_district, urls_documents, urls_secretary, urls_township  # noqa: E402

urlpatterns += urls_secretary.urlpatterns + urls_township.urlpatterns + urls_district.urlpatterns
urlpatterns += urls_documents.urlpatterns

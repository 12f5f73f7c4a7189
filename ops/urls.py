from django.urls import path

from ops import views

app_name = "ops"

urlpatterns = [
    path("", views.system, name="system"),
    path("deliveries/", views.delivery_list, name="deliveries"),
    path("deliveries/<int:pk>/resend/", views.delivery_resend, name="delivery_resend"),
]

app_name = "collectives"
urlpatterns = []

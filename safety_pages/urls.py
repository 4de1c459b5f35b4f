"""Front-end URLs of the safety pages that are not pages in the tree (feeds, extracts, tags)."""

app_name = "safety_pages"

urlpatterns: list = []

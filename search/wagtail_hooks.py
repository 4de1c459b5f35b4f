"""Editors manage synonyms and abbreviations in the admin; both engines read them at query time.

Who may is Django's model permissions on `Synonym` (granted to Redaktörer, Granskare and Administratörer by
`setup_roles`), which ModelAdmin checks for the menu item and each view; its create, edit and delete views write
Wagtail log entries. A change needs no reindex: no index field holds a synonym.
"""

from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from search.models import Synonym


class SynonymAdmin(ModelAdmin):
    model = Synonym
    menu_label = _("Synonymer i sökningen")
    menu_icon = "search"
    menu_order = 900
    add_to_settings_menu = True
    list_display = ("term", "equivalents")
    search_fields = ("term", "equivalents")


modeladmin_register(SynonymAdmin)

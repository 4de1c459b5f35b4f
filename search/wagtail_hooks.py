"""Editors manage synonyms and abbreviations in the admin; both engines read them at query time."""

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

"""Keys for `{% cache %}` around fragments that are slow to draw (see safety_pages/fragments.py)."""

from django import template
from django.core.cache import cache
from django.utils.translation import get_language

from safety_pages.models import generation as fragments

register = template.Library()


@register.filter
def paragraph_body_key(paragraph):
    return fragments.paragraph_body_key(paragraph)


@register.simple_tag
def members_key(members_by_role, seats):
    return fragments.members_key(members_by_role, seats)


class GenerationCacheNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            # A preview draws an unsaved draft under the live page's id: never cached, never served from cache.
            return self.nodelist.render(context)
        key = "generation-fragment:" + fragments.digest(
            [self.name, fragments.generation(request), get_language()] + [part.resolve(context) for part in self.parts]
        )
        value = cache.get(key)
        if value is None:
            value = self.nodelist.render(context)
            cache.set(key, value, fragments.GENERATION_TIMEOUT)
        return value


@register.tag
def generation_cache(parser, token):
    """{% generation_cache "name" part ... %}…{% endgeneration_cache %}: cached under the content generation.

    The parts must name everything that makes the fragment differ between the readers who may see the
    page (the page itself is checked before anything is drawn) and whatever it shows that was loaded
    before the request read the generation; see safety_pages/fragments.py.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("generation_cache needs a name")
    nodelist = parser.parse(("endgeneration_cache",))
    parser.delete_first_token()
    return GenerationCacheNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])

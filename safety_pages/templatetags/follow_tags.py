"""The Följ / Sluta följa button of forum, municipality and tag pages (never cached: it is the reader's own)."""

from django import template

from safety_pages.models import Follow

register = template.Library()


@register.inclusion_tag("safety_pages/includes/follow_button.html", takes_context=True)
def follow_button(context, page=None, tag=None):
    request = context["request"]
    user = request.user
    show = user.is_authenticated
    target = {"page": page} if page is not None else {"tag": tag}
    following = show and Follow.objects.filter(user=user, **target).exists()
    return {"request": request, "show": show, "page": page, "tag": tag, "following": following}

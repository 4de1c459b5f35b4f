"""The reader's personal calendar address, shown on forum and section pages."""

from django import template

from safety_pages.calendars import subscriptions as calendar_subscriptions

register = template.Library()


@register.inclusion_tag("safety_pages/includes/calendar_subscription.html", takes_context=True)
def calendar_subscription(context, section, forum=None):
    request = context["request"]
    user = getattr(request, "user", None)
    if section is None or not (user and user.is_authenticated):
        return {"subscription_url": None}
    return {
        "subscription_url": request.build_absolute_uri(calendar_subscriptions.feed_path(user, section, forum)),
        "next": request.get_full_path(),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }

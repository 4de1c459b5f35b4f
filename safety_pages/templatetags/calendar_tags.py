"""The reader's personal calendar address, shown on forum and section pages."""

from django import template
from django.urls import reverse

from safety_pages.calendars import subscriptions as calendar_subscriptions

register = template.Library()


@register.inclusion_tag("safety_pages/includes/calendar_subscription.html", takes_context=True)
def calendar_subscription(context, section, forum=None):
    request = context["request"]
    user = getattr(request, "user", None)
    if section is None or not (user and user.is_authenticated):
        return {"subscription_url": None}
    subscription_url = request.build_absolute_uri(calendar_subscriptions.feed_path(user, section, forum))
    if forum is None:
        download_url = reverse("safety_pages:section_calendar", args=[section.slug])
    else:
        download_url = reverse("safety_pages:forum_calendar", args=[section.slug, forum.slug])
    return {
        "subscription_url": subscription_url,
        # webcal: makes Outlook, Apple's and the phone's calendar offer to subscribe in one click.
        "webcal_url": "webcal:" + subscription_url.split(":", 1)[1],
        "download_url": download_url,
        "next": request.get_full_path(),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }

"""The views of the bevakningar: Följ / Sluta följa (POST, CSRF), Mina bevakningar, and the signed link of the
e-mails that ends a bevakning without logging in.

A page id or tag that the user may not read answers 404, as a missing one does: following cannot be used to learn
that a closed forum exists. Input that is not an id answers 400 with a Swedish message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from safety_pages.following import digests
from safety_pages.models import Follow


def _id(value):
    """The number a form field gives, or None for anything that is not a database id (also one too large for the
    column, which PostgreSQL would refuse with an error)."""
    return int(value) if value.isdigit() and len(value) <= 18 else None


def _bad_request(request, message):
    return render(request, "safety_pages/unsubscribe.html", {"error": message, "title": _("Bevakning")}, status=400)


def _back(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@require_POST
def follow(request):
    """Följ or Sluta följa a forum, a municipality (`page`: its id) or a tag (`tag`: its slug)."""
    page_id, slug = request.POST.get("page", ""), request.POST.get("tag", "")
    stop = request.POST.get("action") == "sluta"
    if page_id:
        if _id(page_id) is None:
            return _bad_request(request, _("Sidan att bevaka anges med sitt nummer."))
        page = digests.followable_page(request.user, _id(page_id))
        if page is None:
            raise Http404
        target, url, title = {"page": page}, page.get_url(request), page.title
    elif slug:
        tag = digests.followable_tag(request.user, slug)
        if tag is None:
            raise Http404
        target, url, title = {"tag": tag}, reverse("safety_pages:tag", args=[tag.slug]), tag.name
    else:
        return _bad_request(request, _("Ange vad du vill bevaka."))
    if stop:
        Follow.objects.filter(user=request.user, **target).delete()
        messages.success(request, _("Du bevakar inte längre %(title)s.") % {"title": title})
    else:
        Follow.objects.get_or_create(user=request.user, **target)
        messages.success(
            request,
            _("Du bevakar nu %(title)s. Du får e-post om det som publiceras, en gång om dagen.") % {"title": title},
        )
    return _back(request, url)


@require_http_methods(["GET", "HEAD", "POST"])
def my_follows(request):
    """Mina bevakningar: what the user follows (what they may no longer read, without its name), each with a button
    that ends it."""
    if request.method == "POST":
        follow_id = _id(request.POST.get("remove", ""))
        if follow_id is None:
            return _bad_request(request, _("Bevakningen att ta bort anges med sitt nummer."))
        Follow.objects.filter(user=request.user, pk=follow_id).delete()
        messages.success(request, _("Bevakningen är borttagen."))
        return redirect("safety_pages:follows")
    follows = Follow.objects.filter(user=request.user).select_related("page", "tag").order_by("created_at", "pk")
    rows = [(item, *digests.describe(item, request.user)) for item in follows]
    return render(request, "safety_pages/my_follows.html", {"rows": rows, "email": request.user.email})


# The link of an e-mail: the signed token is the key (no session, so no CSRF token to check; a mail client's
# one-click POST, RFC 8058, carries none). GET shows what ends and one button; POST ends it.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        user, follows = digests.read_unsubscribe_token(token)
    except digests.TokenError as error:
        return _bad_request(request, str(error))
    # Named only as the follower may read it now (the link may be opened by anyone holding the e-mail).
    titles = [digests.describe(item, user)[0] for item in follows]
    if request.method == "POST":
        Follow.objects.filter(pk__in=[item.pk for item in follows]).delete()
        return render(request, "safety_pages/unsubscribe.html", {"titles": titles, "done": True})
    return render(request, "safety_pages/unsubscribe.html", {"titles": titles, "all": len(follows) > 1})

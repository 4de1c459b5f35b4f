"""Sekretess paragraphs (offentlighets- och sekretesslagen, OSL): who may read their text and attachments.

A paragraph of the minutes marked *sekretess* is read in full only by its forum's members and editors, the same
readers as a record not yet justerat (`models/readers.closed_record_principals`); everyone else who may read the
record sees its § number, its title when the editor allows it, and the OSL reference. Every channel asks here:
the record page and the extract (through the paragraphs the record hands its templates), the case page, the
Atom feeds, search (which stores these principals as the reader set of the paragraph's own hit and of its
attachments) and document serving. The record names its readers (`secret_read_principals()`), so this module,
the bottom layer, needs no page model.
"""

from safety_pages.access import visibility


def secret_principals(record):
    """The principals who may read a sekretess paragraph of `record`: its forum's members and editors."""
    return frozenset(record.secret_read_principals())


def may_read_secret(request_or_user, record):
    """Whether this user may read the text and attachments of `record`'s sekretess paragraphs (cached per request
    and record when a request is given: a listing asks for every paragraph)."""
    request = request_or_user if hasattr(request_or_user, "user") else None
    user = getattr(request_or_user, "user", request_or_user)
    if visibility.is_unrestricted(user):
        return True
    cache = getattr(request, "_secret_readers", None) if request is not None else None
    if cache is not None and record.pk in cache:
        return cache[record.pk]
    allowed = bool(visibility.user_principals(request_or_user) & secret_principals(record))
    if request is not None:
        if cache is None:
            cache = request._secret_readers = {}
        cache[record.pk] = allowed
    return allowed

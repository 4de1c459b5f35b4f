"""The signals of access: what other apps hear when who may read something changes.

Declared here, at the bottom layer, so that a channel that stores readers (search) listens to one signal
instead of importing the models whose saves change them.
"""

from django.dispatch import Signal

# Sent after the readers of pages' closed content changed without those pages being saved: a forum's
# memberships, a member's user account, the forum's local roles, or the members of a local-role group.
# Keyword argument `page_ids`: the pages (forums) whose subtrees' readers may now differ. Sent inside the
# saving transaction, after the reader groups are in step, so a receiver reads the new readers.
readers_changed = Signal()

# Sent when safety_pages needs the text of documents (the personal-data check of their pages' attachments).
# Keyword argument `documents`: the document objects. A receiver returns {document id: text} for those it can
# read; search's extractor answers, so that safety_pages reads files without importing search.
document_texts_wanted = Signal()

# Sent after whom pages list changed, or how, without those pages being published: a person in the register
# renamed or deleted, a membership saved on its own. Keyword argument `page_ids`: the pages listing them (forums,
# records), whose person hits (safety_pages.models.people) carry the name and roles: search writes them again.
people_changed = Signal()

# Sent when a meeting's kallelse has been sent (the meeting published as "kallelse utskickad"), inside the saving
# transaction. Keyword argument `record`: the meeting. The bevakningar tell the forum's followers at once.
kallelse_sent = Signal()

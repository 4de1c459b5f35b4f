"""The rich-text toolbars of the page types, defined once so every page offers editors the same tools.

Headings start at h3 because the page template owns h1 and h2; minutes get no
headings at all, since a paragraph's structure (Bakgrund, Beslut …) is fields.
"""

PAGE_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
MINUTES_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]

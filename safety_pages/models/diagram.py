"""The organisation diagram of one municipality: forums as boxes, reporting and assignment lines as arrows.

Drawn from the data on every request, so changing a forum's "rapporterar till"
changes the picture. grandalf's Sugiyama layout places the boxes in layers
(who reports to whom sits above); this module only sizes the boxes, joins the
laid-out parts side by side and writes SVG. The same relations are offered as
a nested list (`outline()`), the text alternative for screen readers and print.
"""

import hashlib
import textwrap
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from grandalf.graphs import Edge, Graph, Vertex
from grandalf.layouts import SugiyamaLayout

BOX_WIDTH = 210
LINE_HEIGHT = 17
PADDING = 10
CHARS_PER_LINE = 26
COMPONENT_GAP = 40
MARGIN = 20
LEGEND_HEIGHT = 60
# The diagram shrinks to fit its box down to this share of its size (13 px labels stay ≥ 10 px), then scrolls.
MIN_SCALE = 0.75

REPORTS = "reports_to"
ASSIGNS = "gives_assignments_to"


class _BoxView:
    def __init__(self, w, h):
        self.w, self.h, self.xy = w, h, (0, 0)


class _LineView:
    def __init__(self):
        self.points = []

    def setpath(self, points):
        self.points = list(points)


def _lines(title):
    return textwrap.wrap(title, CHARS_PER_LINE) or [title]


class OrganisationDiagram:
    def __init__(self, forums, relations):
        """`forums` as the reader may see them; `relations`: (kind, from id, to id) lines between them
        (`ForumPage.lines_between`), kinds REPORTS and ASSIGNS. Draws from these alone: reads no rows."""
        self.forums = list(forums)
        self.relations = relations
        self._positions = None

    @property
    def cache_key(self):
        """A digest of everything drawn: the forums this reader may see (id, title, place, level) and their lines.

        The layout is the slowest part of the organisation page, and readers who
        may see the same forums get the same picture; so the drawn fragment is
        cached under this key. A forum closed to a reader is not in that reader's
        list, so their key differs and no one is served a picture of forums they
        may not see. Any edit that changes the picture changes the key.
        """
        parts = [f"{f.pk}|{f.title}|{f.url_path}|{f.level}|{f.status}" for f in self.forums]
        parts += [f"{kind}|{a}|{b}" for kind, a, b in self.relations]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    # --- the picture -----------------------------------------------------------------------------

    def _above_below(self, kind, source, target):
        # A forum that receives reports, or gives assignments, is drawn above the other one.
        return (target, source) if kind == REPORTS else (source, target)

    def layout(self):
        """{forum id: (x, y, w, h)} (x, y the top-left corner) and {(kind, from, to): [points]}."""
        if self._positions is not None:
            return self._positions
        vertices = {}
        for forum in self.forums:
            vertex = Vertex(forum.pk)
            vertex.view = _BoxView(BOX_WIDTH, len(_lines(forum.title)) * LINE_HEIGHT + 2 * PADDING)
            vertices[forum.pk] = vertex
        layout_edges = {}
        for kind, source, target in self.relations:
            top, bottom = self._above_below(kind, source, target)
            if top != bottom and (top, bottom) not in layout_edges:
                edge = Edge(vertices[top], vertices[bottom])
                edge.view = _LineView()
                layout_edges[(top, bottom)] = edge
        graph = Graph(list(vertices.values()), list(layout_edges.values()))

        boxes, offset_x, height = {}, MARGIN, 0
        # Parts of the organisation not connected to each other are laid out alone and set side by side.
        for component in sorted(graph.C, key=lambda c: min(v.data for v in c.sV)):
            sugiyama = SugiyamaLayout(component)
            sugiyama.xspace, sugiyama.yspace = 30, 50
            roots = [v for v in component.sV if not v.e_in()]
            sugiyama.init_all(roots=roots or None)
            sugiyama.draw()
            min_x = min(v.view.xy[0] - v.view.w / 2 for v in component.sV)
            max_x = max(v.view.xy[0] + v.view.w / 2 for v in component.sV)
            min_y = min(v.view.xy[1] - v.view.h / 2 for v in component.sV)
            for v in component.sV:
                cx, cy = v.view.xy
                boxes[v.data] = (
                    cx - v.view.w / 2 - min_x + offset_x,
                    cy - v.view.h / 2 - min_y + MARGIN,
                    v.view.w,
                    v.view.h,
                )
                height = max(height, boxes[v.data][1] + v.view.h)
            offset_x += max_x - min_x + COMPONENT_GAP
        width = max(offset_x - COMPONENT_GAP + MARGIN, 2 * MARGIN + BOX_WIDTH)
        self._positions = (boxes, max(width, 420), height + MARGIN)
        return self._positions

    def _line(self, boxes, kind, source, target):
        top, bottom = self._above_below(kind, source, target)
        x1, y1, w1, h1 = boxes[top]
        x2, y2, w2, h2 = boxes[bottom]
        # Reports and assignments between the same pair are drawn side by side, not on top of each other.
        shift = -6 if kind == REPORTS else 6
        start = (x1 + w1 / 2 + shift, y1 + h1)
        end = (x2 + w2 / 2 + shift, y2)
        if y2 < y1 + h1:  # a line back up (a cycle): from the side of the lower box
            start, end = (x1 + w1 / 2 + shift, y1), (x2 + w2 / 2 + shift, y2 + h2)
        # The arrow points at whoever receives: the reports' receiver or the assignment's receiver.
        return (end, start) if kind == REPORTS else (start, end)

    def svg(self, standalone=False):
        boxes, width, height = self.layout()
        total_height = height + LEGEND_HEIGHT
        title = _("Organisationsbild")
        description = _(
            "%(forums)s forum med %(lines)s linjer för rapportering och uppdrag. "
            "Samma samband finns som lista i texten."
        ) % {"forums": len(self.forums), "lines": len(self.relations)}
        out = []
        if standalone:
            out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="org-diagram" viewBox="0 0 {width:.0f} {total_height:.0f}" '
            # A group, not an image: its boxes are links to the forums, and an image's parts are hidden from
            # assistive technology. The least width keeps 13 px labels legible when it is scaled to its box.
            f'width="{width:.0f}" height="{total_height:.0f}" style="min-width:{width * MIN_SCALE:.0f}px" '
            'role="group" aria-labelledby="org-diagram-title org-diagram-desc">'
            f'<title id="org-diagram-title">{escape(title)}</title>'
            f'<desc id="org-diagram-desc">{escape(description)}</desc>'
            "<defs>"
            '<marker id="org-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1b1f24"/></marker>'
            "</defs>"
            "<style>.org-box{fill:#fff;stroke:#0b4f8a;stroke-width:2}.org-box--political{fill:#f3f5f7}"
            ".org-label{font:13px system-ui,Arial,sans-serif;fill:#1b1f24}"
            ".org-line{fill:none;stroke:#1b1f24;stroke-width:1.5}"
            ".org-line--assigns{stroke-dasharray:6 4}"
            "a.org-node:hover .org-box,a.org-node:focus .org-box{fill:#e3eef8;stroke-width:3}"
            "a.org-node:focus{outline:none}a.org-node:focus-visible .org-box{stroke:#c23a00;stroke-width:4}</style>"
        )
        for kind, source, target in self.relations:
            (x1, y1), (x2, y2) = self._line(boxes, kind, source, target)
            css = "org-line--reports" if kind == REPORTS else "org-line--assigns"
            out.append(
                f'<line class="org-line {css}" data-kind="{kind}" data-from="{source}" data-to="{target}" '
                f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" marker-end="url(#org-arrow)"/>'
            )
        for forum in self.forums:
            x, y, w, h = boxes[forum.pk]
            css = " org-box--political" if forum.level == "politisk" else ""
            out.append(
                f'<a class="org-node" href="{escape(forum.get_url() or "")}" data-forum="{forum.pk}">'
                f'<rect class="org-box{css}" x="{x:.1f}" y="{y:.1f}" width="{w:.0f}" height="{h:.0f}" rx="4"/>'
            )
            for i, line in enumerate(_lines(forum.title)):
                out.append(
                    f'<text class="org-label" x="{x + w / 2:.1f}" y="{y + PADDING + (i + 0.8) * LINE_HEIGHT:.1f}" '
                    f'text-anchor="middle">{escape(line)}</text>'
                )
            out.append("</a>")
        legend_y = height + 20
        out.append(
            f'<g class="org-legend"><line class="org-line" x1="{MARGIN}" y1="{legend_y}" x2="{MARGIN + 40}" '
            f'y2="{legend_y}" marker-end="url(#org-arrow)"/>'
            f'<text class="org-label" x="{MARGIN + 50}" y="{legend_y + 4}">{escape(_("rapporterar till"))}</text>'
            f'<line class="org-line org-line--assigns" x1="{MARGIN}" y1="{legend_y + 24}" x2="{MARGIN + 40}" '
            f'y2="{legend_y + 24}" marker-end="url(#org-arrow)"/>'
            f'<text class="org-label" x="{MARGIN + 50}" y="{legend_y + 28}">{escape(_("kan ge uppdrag till"))}</text>'
            "</g></svg>"
        )
        return "".join(out)

    # --- the text alternative --------------------------------------------------------------------

    def outline(self):
        """Nested list items: {forum, reports_to, gives_assignments_to, children}, top of the hierarchy first."""
        by_id = {f.pk: f for f in self.forums}
        reports = {f.pk: [] for f in self.forums}
        assigns = {f.pk: [] for f in self.forums}
        children = {f.pk: [] for f in self.forums}
        has_parent = set()
        for kind, source, target in self.relations:
            (reports if kind == REPORTS else assigns)[source].append(by_id[target])
            top, bottom = self._above_below(kind, source, target)
            if bottom not in children[top] and top != bottom:
                children[top].append(bottom)
                has_parent.add(bottom)
        placed = set()

        def item(pk):
            placed.add(pk)
            kids = [item(k) for k in children[pk] if k not in placed]
            return {
                "forum": by_id[pk],
                "reports_to": reports[pk],
                "gives_assignments_to": assigns[pk],
                "children": kids,
            }

        roots = [f.pk for f in self.forums if f.pk not in has_parent]
        items = [item(pk) for pk in roots if pk not in placed]
        # Forums only reachable through a cycle still get a place in the list.
        items += [item(f.pk) for f in self.forums if f.pk not in placed]
        return items

"""The demo site, built from fixtures/ by `manage.py load_demo`.

Each part of the domain adds one step; steps run in order in one transaction,
and each is idempotent, so a second run changes nothing.
"""

from dataclasses import dataclass, field
from pathlib import Path

from intranet.demo import access, followup, forums, meetings, site, users


@dataclass
class DemoContext:
    fixtures_dir: Path
    home: object = None
    sections: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    logins: list = field(default_factory=list)
    # Steps share what they built (forums by slug, persons by name, …) through here.
    registry: dict = field(default_factory=dict)


STEPS = [site.load, forums.load, users.load, forums.link_users, meetings.load, followup.load, access.load]

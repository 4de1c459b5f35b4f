"""Packaging hook: the wheel carries the templates, static files and catalogue the apps need.

The repository keeps its fixed layout (top-level `templates/`, `locale/`, the
demo project's `site/intranet/static/`), which the demo site reads in place.
An installed app is found by Django through its own folders (`<app>/templates`,
`<app>/static`, `<app>/locale`), so the build copies those top-level folders
into the packages' folders of the wheel, under the same template paths
(`safety_pages/...html` stays `safety_pages/...html`). Nothing moves in the
repository, so the demo site, the tests and anyone editing a template keep
working on the one copy. Everything else is declared in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent

# (folder or file in the repository, where it goes in the wheel). The site's own templates (404, 500, the login
# pages) stay behind: a host has its own.
SHIPPED = [
    ("templates/safety_pages", "safety_pages/templates/safety_pages"),
    ("templates/includes", "safety_pages/templates/includes"),
    # The fallback base template: a host's own `base.html` (its templates folder is searched first) replaces it.
    ("templates/base.html", "safety_pages/templates/base.html"),
    # An override of a Wagtail admin template: wins when safety_pages comes before wagtail.admin in INSTALLED_APPS.
    ("templates/wagtailadmin", "safety_pages/templates/wagtailadmin"),
    ("templates/search", "search/templates/search"),
    # The stylesheets the templates link (`intranet/css/...`), kept under their static path.
    ("site/intranet/static/intranet", "safety_pages/static/intranet"),
    ("locale", "safety_pages/locale"),
]


def shipped_files():
    """{path inside the wheel: source path} of every shipped file."""
    files = {}
    for source, target in SHIPPED:
        source_path = ROOT / source
        if not source_path.exists():
            # A wheel without them installs apps that render nothing: refuse rather than build one.
            raise FileNotFoundError(f"{source_path} is missing (see MANIFEST.in)")
        if source_path.is_file():
            files[target] = source_path
            continue
        for path in sorted(source_path.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files[f"{target}/{path.relative_to(source_path).as_posix()}"] = path
    return files


class BuildWithAppFiles(build_py):
    """build_py that also copies the shipped folders into the packages it builds."""

    def run(self):
        super().run()
        if self.editable_mode:
            # An editable install imports the packages from the checkout; the site reads templates/ in place.
            return
        for target, source in shipped_files().items():
            destination = Path(self.build_lib, target)
            self.mkpath(str(destination.parent))
            self.copy_file(str(source), str(destination))

    def get_outputs(self, include_bytecode=True):
        return super().get_outputs(include_bytecode) + [str(Path(self.build_lib, t)) for t in shipped_files()]

    def get_output_mapping(self):
        # Editable installs in strict mode link these files into their tree, so they find the templates too.
        mapping = super().get_output_mapping()
        mapping.update({str(Path(self.build_lib, t)): str(s) for t, s in shipped_files().items()})
        return mapping


setup(cmdclass={"build_py": BuildWithAppFiles})

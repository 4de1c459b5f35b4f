import pytest

from tests.safety_pages.meetings_support import new_forum


@pytest.fixture
def forum(demo):
    return new_forum("mjolby", "importforum", title="Importforum")

import pytest

from tests import builders


@pytest.fixture
def forum(demo):
    return builders.forum("mjolby", "importforum", title="Importforum")

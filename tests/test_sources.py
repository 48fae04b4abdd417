import pytest

from factdesk.errors import ConfigError
from factdesk.sources import RatingList


def write(tmp_path, text):
    p = tmp_path / "ratings.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_sources_lookup_inherits_parent_domain(tmp_path):
    rl = RatingList.load(write(tmp_path, "domain,label,score,name\nexample.org,mixed,0.5,List A\n"))
    assert rl.lookup("news.example.org").label == "mixed"
    assert rl.lookup("www.Example.org").name == "List A"
    assert rl.lookup("example.com") is None
    assert rl.lookup(None) is None


@pytest.mark.parametrize("text, needle", [
    ("example.org,trusted\n", "not one of"),
    ("example.org\n", "expected domain,label"),
    ("example.org,reliable,high\n", "not a number"),
    ("example.org,reliable,1.5\n", "outside 0..1"),
])
def test_sources_bad_rows_name_the_line(tmp_path, text, needle):
    with pytest.raises(ConfigError, match=needle) as e:
        RatingList.load(write(tmp_path, text))
    assert ":1:" in str(e.value)

"""Sources cited by their publishers: a copy is where a text was read (read_at), never the source."""

from __future__ import annotations

import pytest

import layers.sources as sources_module
from atlas_core.errors import DataValidationError
from layers._io import read_table
from layers.sources import URL_PATTERN, citation, host_of, load_source_hosts, load_sources, read_at_urls

MIGRATED = (  # files that cite by source id only (tests/geodata/test_citations.py checks every file)
    *("facilities", "unit_indicators", "sub_areas", "anchors", "spine_waypoints"),
    *("unit_attributes", "water_bodies", "place_names"),
)
SPAM_MIRRORS = ("cjlzp.com", "haiptao.com", "eroadfreight.com", "www.bynrjy.cn")  # found copying gov.cn pages


def test_every_source_loads_and_no_copy_host_is_ever_a_sources_host():
    sources, hosts = load_sources(), load_source_hosts().set_index("host")
    cited = {host_of(u) for u in sources["url"] if u}
    read = {host_of(u) for field in sources["read_at"] for u in read_at_urls(field)}
    assert cited and read and not cited & read
    assert set(hosts.loc[sorted(read), "kind"]) <= {"copy", "aggregator"}
    for mirror in SPAM_MIRRORS:
        assert hosts.at[mirror, "kind"] == "copy" and mirror not in cited


def test_official_and_institution_sources_are_on_their_publishers_hosts():
    sources, hosts = load_sources(), load_source_hosts().set_index("host")
    for row in sources.loc[sources["kind"].isin(["official", "institution"]) & sources["url"].ne("")].itertuples():
        assert hosts.at[host_of(row.url), "kind"] == row.kind, row.source_id
    assert all(host_of(u).endswith("gov.cn") for u in sources.loc[sources["kind"] == "official", "url"] if u)


@pytest.mark.parametrize("name", MIGRATED)
def test_data_files_cite_by_source_id_and_hold_no_address(name):
    table = read_table(name)
    addresses = [(column, cell) for column in table for cell in table[column] if URL_PATTERN.search(cell)]
    assert not addresses, addresses[:3]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"url": "http://cjlzp.com/szsrmzf/x.shtml"}, "is on a copy host"),
        ({"url": "https://unknown.example.org/x"}, "not classified"),
        ({"read_at": "https://www.suzhou.gov.cn/x.shtml"}, "not as a copy or aggregator"),
        ({"url": "", "url_note": ""}, "url_note (why) and read_at"),
        ({"date": "2024年3月"}, "is not YYYY"),
        ({"date": ""}, "needs its date"),
        ({"kind": "blog"}, "kind 'blog'"),
    ],
)
def test_a_source_breaking_the_rule_is_refused(monkeypatch, change, message):
    table = read_table("sources")
    row = table.index[table["source_id"] == "sz_population_2023"][0]
    for column, value in change.items():
        table.loc[row, column] = value
    monkeypatch.setattr(sources_module, "read_table", lambda name: table if name == "sources" else read_table(name))
    with pytest.raises(DataValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_sources()


def test_a_citation_names_publisher_title_date_address_and_the_copy_apart():
    row = load_sources().set_index("source_id").loc["sz_population_2023"]
    zh, en = citation(row, "zh"), citation(row, "en")
    assert zh.startswith("苏州市统计局") and "《2023年苏州市人口主要数据发布》" in zh and "2024-03-15" in zh
    assert "https://www.suzhou.gov.cn/" in en and en.index("www.suzhou.gov.cn") < en.index("read at: http://cjlzp.com/")

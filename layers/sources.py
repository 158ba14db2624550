"""Where the facts in geodata come from: the documents (geodata/sources.csv) and the hosts they are
published on (geodata/source_hosts.csv).

A source is a document: its publisher, title and date, and the address of the publisher's own page
(``url``). Where the text could only be read in a copy (a mirror of a government site, a Wikipedia
mirror, a repost), the copy's address goes in ``read_at``, never in ``url``. A publisher's address
rebuilt from a copy that keeps its path says so in ``url_note``; a document whose own page was not
found has no ``url`` and says why in ``url_note``.

Every host in either field is classified once in source_hosts.csv: a source's host must be of the
source's own kind (``official`` only on government hosts, ``institution`` on an institution's own
domain), and a host where a copy was read is never the host of a source.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pandas as pd

from layers._io import raise_if_problems, read_table, require_columns

SOURCE_KINDS = ("official", "institution", "encyclopedia", "news", "dataset", "other")
COPY_KINDS = ("copy", "aggregator")  # hosts read, never cited
HOST_KINDS = (*SOURCE_KINDS, *COPY_KINDS)
DATED_KINDS = ("official", "institution", "news")  # a document of these kinds has a date
SOURCE_COLUMNS = ["source_id", "kind", "publisher", "title", "date", "url", "url_note", "read_at", "note"]
HOST_COLUMNS = ["host", "kind", "publisher", "note"]
ID_SEPARATOR = "|"
READ_AT_SEPARATOR = " | "
DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
UNDATED = "undated"  # looked for, and the document carries no date
URL_PATTERN = re.compile(r"https?://[^\s,;\"）)]+")


def host_of(url: str) -> str:
    """The host of a URL, lower case, without a port ("" when it has none)."""
    return (urlsplit(url.strip()).hostname or "").lower()


def split_ids(field: str) -> list[str]:
    """The source ids of a data file's field ("a|b" -> ["a", "b"]); empty gives none."""
    return [part.strip() for part in str(field).split(ID_SEPARATOR) if part.strip()]


def read_at_urls(field: str) -> list[str]:
    return [part.strip() for part in str(field).split(READ_AT_SEPARATOR.strip()) if part.strip()]


def load_source_hosts() -> pd.DataFrame:
    """The classified hosts, validated: one row per host, a known kind and its publisher."""
    table = read_table("source_hosts")
    require_columns(table, HOST_COLUMNS, "source_hosts")
    problems = [
        f"line {pos}: {row.host}: kind {row.kind!r} not in {HOST_KINDS}"
        for pos, row in enumerate(table.itertuples(index=False), start=2)
        if row.kind not in HOST_KINDS
    ]
    problems += [f"host {host} listed twice" for host in table.loc[table["host"].duplicated(), "host"]]
    problems += [f"host {host!r} is not lower case" for host in table["host"] if host != host.lower()]
    raise_if_problems("source_hosts", problems)
    return table


def _source_problems(row, where: str, hosts: dict[str, str]) -> list[str]:
    """What is wrong with one source (empty when nothing)."""
    problems = []
    if row.kind not in SOURCE_KINDS:
        problems.append(f"{where}: kind {row.kind!r} not in {SOURCE_KINDS}")
    if not (row.publisher and row.title):
        problems.append(f"{where}: publisher and title are required")
    if row.date and row.date != UNDATED and not DATE_PATTERN.match(row.date):
        problems.append(f"{where}: date {row.date!r} is not YYYY, YYYY-MM, YYYY-MM-DD or {UNDATED!r}")
    if row.kind in DATED_KINDS and not row.date:
        problems.append(f"{where}: a {row.kind} document needs its date")
    if row.url:
        host = host_of(row.url)
        if hosts.get(host) is None:
            problems.append(f"{where}: host {host!r} of url is not classified in source_hosts.csv")
        elif hosts[host] != row.kind:
            problems.append(f"{where}: url is on a {hosts[host]} host ({host}), the source says {row.kind}")
    elif not (row.url_note and row.read_at):
        problems.append(
            f"{where}: without the publisher's url, url_note (why) and read_at (where it was read) are required"
        )
    for copy in read_at_urls(row.read_at):
        kind = hosts.get(host_of(copy))
        if kind not in COPY_KINDS:
            problems.append(f"{where}: read_at {copy} is on a host classified {kind!r}, not as a copy or aggregator")
    return problems


def load_sources() -> pd.DataFrame:
    """The sources, validated against the classified hosts (see the module's docstring)."""
    hosts = dict(load_source_hosts()[["host", "kind"]].itertuples(index=False))
    table = read_table("sources")
    require_columns(table, SOURCE_COLUMNS, "sources")
    problems = []
    for pos, row in enumerate(table.itertuples(index=False), start=2):
        problems += _source_problems(row, f"line {pos} ({row.source_id})", hosts)
    problems += [f"source id {sid} listed twice" for sid in table.loc[table["source_id"].duplicated(), "source_id"]]
    raise_if_problems("sources", problems)
    return table


def reference_problems(table: pd.DataFrame, column: str, known: set[str], *, name: str, required: bool) -> list[str]:
    """Rows of a data file whose ``column`` names an unknown source (or none, when ``required``)."""
    problems = []
    for pos, field in enumerate(table[column], start=2):
        ids = split_ids(field)
        if required and not ids:
            problems.append(f"{name} line {pos}: {column} is required")
        problems += [f"{name} line {pos}: unknown source {sid!r} in {column}" for sid in ids if sid not in known]
    return problems


def citation(source, lang: str = "zh", detail: str = "") -> str:
    """One source as a reader sees it: publisher, title, date, the publisher's address, and where a
    copy was read ("read at"). ``source`` is a row of :func:`load_sources` (a mapping or a tuple)."""
    get = source.get if hasattr(source, "get") else lambda key: getattr(source, key)
    quoted = f"《{get('title')}》" if lang == "zh" else f"“{get('title')}”"
    parts = [get("publisher"), quoted, get("date") if get("date") != UNDATED else "", get("url")]
    text = ("，" if lang == "zh" else ", ").join(p for p in parts if p)
    if detail:
        text += ("：" if lang == "zh" else ": ") + detail
    copies = read_at_urls(get("read_at"))
    if copies:
        label = "（阅读副本：" if lang == "zh" else " (read at: "
        text += label + ("；" if lang == "zh" else "; ").join(copies) + ("）" if lang == "zh" else ")")
    return text


def attach_sources(
    table: pd.DataFrame, sources: pd.DataFrame, *, id_column: str, prefix: str = "", detail_column: str | None = None
) -> pd.DataFrame:
    """``table`` with each row's sources (``id_column``: ids joined by "|") spelt out, for readers:
    ``<prefix>source`` (the citations, "; "-joined, with the row's detail), ``<prefix>source_url`` (the
    publishers' addresses), ``<prefix>source_kind`` (the first source's kind) and ``<prefix>read_at``
    (the copies read). A row without sources gets empty strings."""
    by_id = sources.set_index("source_id")
    cited, urls, kinds, copies = [], [], [], []
    details = table[detail_column] if detail_column else pd.Series("", index=table.index)
    for field, detail in zip(table[id_column], details, strict=True):
        rows = [by_id.loc[sid] for sid in split_ids(field)]
        cited.append("; ".join(citation(row, "en", detail if i == 0 else "") for i, row in enumerate(rows)))
        urls.append(" ".join(row["url"] for row in rows if row["url"]))
        kinds.append(rows[0]["kind"] if rows else "")
        copies.append(READ_AT_SEPARATOR.join(c for row in rows for c in read_at_urls(row["read_at"])))
    return table.assign(
        **{
            f"{prefix}source": cited,
            f"{prefix}source_url": urls,
            f"{prefix}source_kind": kinds,
            f"{prefix}read_at": copies,
        }
    )

"""Basemap choices: none, OpenStreetMap, Amap (GCJ-02), Tianditu (keyed) and an intranet tile URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from atlas_core import settings
from atlas_core.errors import BasemapError

BASEMAPS = ("none", "osm", "amap", "tianditu", "custom")
DEFAULT_BASEMAP = "none"


@dataclass(frozen=True)
class TileLayerSpec:
    url: str
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 18


@dataclass(frozen=True)
class Basemap:
    """Tile layers to draw (none for a plain map) and the datum their pixels are in."""

    name: str
    datum: str  # the datum vector layers must be shifted into
    layers: tuple[TileLayerSpec, ...] = ()


_OSM = TileLayerSpec(
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "&copy; OpenStreetMap contributors", subdomains="abc", max_zoom=19
)
_AMAP = TileLayerSpec(
    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
    "&copy; 高德地图 Amap",
    subdomains="1234",
    max_zoom=18,
)
_TIANDITU = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
    "&TILECOL={{x}}&tk={key}"
)
_PLACEHOLDER = re.compile(r"\{(z|x|y|-y|s|r)\}")
_KEY_OK = re.compile(r"^[A-Za-z0-9]{8,64}$")


def tianditu_key(secrets=None) -> str | None:
    """The Tianditu key from the environment (TIANDITU_KEY) or Streamlit secrets (tianditu_key)."""
    key = settings.current().tianditu_key or ""
    if not key and secrets is not None:
        try:
            key = str(secrets.get("tianditu_key", "") or "").strip()
        except Exception:  # no secrets file at all: Streamlit raises; treat as unset
            key = ""
    return key or None


def validate_tile_url(url: str) -> str:
    """Check an intranet tile URL template; return it stripped or raise BasemapError (zh/en)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BasemapError(
            f"tile URL must start with http:// or https:// and name a host; got {url!r}",
            zh=f"瓦片地址须以 http:// 或 https:// 开头并包含主机名；收到 {url!r}",
        )
    if not all(p in url for p in ("{z}", "{x}")) or not ("{y}" in url or "{-y}" in url):
        raise BasemapError(
            f"tile URL must contain {{z}}, {{x}} and {{y}}; got {url!r}",
            zh=f"瓦片地址须包含 {{z}}、{{x}}、{{y}}；收到 {url!r}",
        )
    rest = _PLACEHOLDER.sub("", url)
    if re.search(r"[\s\"'`<>\\{}$]", rest):
        raise BasemapError(
            f"tile URL contains characters a URL cannot have (spaces, quotes, braces); got {url!r}",
            zh=f"瓦片地址含有非法字符（空格、引号、花括号等）；收到 {url!r}",
        )
    return url


def resolve_basemap(
    name: str, *, tianditu: str | None = None, custom_url: str | None = None, custom_datum: str = "wgs84"
) -> Basemap:
    """The basemap called ``name``; a missing Tianditu key or bad custom URL raises BasemapError."""
    if name == "none":
        return Basemap("none", "wgs84")
    if name == "osm":
        return Basemap("osm", "wgs84", (_OSM,))
    if name == "amap":
        return Basemap("amap", "gcj02", (_AMAP,))
    if name == "tianditu":
        if not tianditu:
            raise BasemapError(
                "no Tianditu key configured (TIANDITU_KEY or secrets tianditu_key)",
                zh="未配置天地图密钥（环境变量 TIANDITU_KEY 或 secrets 中的 tianditu_key）",
            )
        if not _KEY_OK.match(tianditu):
            raise BasemapError("the Tianditu key should be letters and digits only", zh="天地图密钥应只含字母和数字")
        layers = tuple(
            TileLayerSpec(_TIANDITU.format(layer=layer, key=tianditu), "&copy; 天地图 Tianditu", subdomains="01234567")
            for layer in ("vec", "cva")
        )
        return Basemap("tianditu", "wgs84", layers)
    if name == "custom":
        if custom_datum not in ("wgs84", "gcj02"):
            raise BasemapError(
                f"custom tile datum must be wgs84 or gcj02; got {custom_datum!r}",
                zh=f"自定义瓦片坐标系须为 wgs84 或 gcj02；收到 {custom_datum!r}",
            )
        return Basemap(
            "custom",
            custom_datum,
            (TileLayerSpec(validate_tile_url(custom_url or ""), "intranet tiles", subdomains="abc"),),
        )
    raise BasemapError(
        f"unknown basemap {name!r}; expected one of {', '.join(BASEMAPS)}",
        zh=f"未知底图 {name!r}；可选：{'、'.join(BASEMAPS)}",
    )

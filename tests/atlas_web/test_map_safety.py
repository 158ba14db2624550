"""Hostile strings in data must show as literal text: no script runs, the map still draws."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import time

import pytest

from atlas_web.basemaps import resolve_basemap
from atlas_web.mapview import MapView
from atlas_web.standalone import standalone_html
from atlas_web.webmap import build_map
from presentation.display import build_display_layers
from safety.markup import js_value, markdown, text

PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "${window.__pwned=2}",
    "`);window.__pwned=3;(`",
    "</script><script>window.__pwned=4</script>",
    "{{ 7*7 }}{% if true %}jinja{% endif %}",
    "back\\slash\\u0041\\",
    "\"quote' &amp; ampersand",
]


@pytest.fixture(scope="module")
def hostile_atlas(atlas):
    units = atlas.units.copy()
    corridors = atlas.corridors.copy()
    facilities = atlas.facilities.copy()
    for i, payload in enumerate(PAYLOADS):
        units.loc[units.index[i], ["name_zh", "name_en"]] = payload
        facilities.loc[facilities.index[i], ["name_zh", "name_en", "source_url"]] = payload
    for i, payload in enumerate(PAYLOADS[: len(corridors)]):
        corridors.loc[corridors.index[i], ["name_zh", "name_en", "summary_zh", "summary_en"]] = payload
    return dataclasses.replace(atlas, units=units, corridors=corridors, facilities=facilities)


@pytest.fixture(scope="module")
def hostile_map(hostile_atlas):
    display = build_display_layers(hostile_atlas)
    view = MapView(
        lang="zh",
        corridors=tuple(hostile_atlas.corridors["id"]),
        categories=tuple(sorted(set(hostile_atlas.facilities["category"]))),
    )
    return build_map(hostile_atlas, display, resolve_basemap("none"), view)


def test_escapes_leave_no_active_characters():
    for payload in PAYLOADS:
        escaped = text(payload)
        assert not set("<>`$\\{}\"'") & set(escaped)
        assert "{{" not in js_value(payload) and "</" not in js_value(payload)
        assert not re.search(r"(?<!\\)[\[\]()!<>`$]", markdown(payload))


def test_rendered_script_is_valid_javascript_without_raw_payloads(hostile_map, tmp_path):
    html = hostile_map.get_root().render()
    assert "<img src=x" not in html and "<script>window.__pwned" not in html and "${window" not in html
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    node = shutil.which("node")
    assert node, "node is needed to syntax-check the generated script"
    source = tmp_path / "map.js"
    source.write_text("\n;\n".join(scripts), encoding="utf-8")
    result = subprocess.run([node, "--check", str(source)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_hostile_names_stay_literal_in_a_real_browser(hostile_map, tmp_path, chromium):
    page_file = tmp_path / "map.html"
    page_file.write_text(standalone_html(hostile_map), encoding="utf-8")
    page = chromium.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(page_file.as_uri())
    page.wait_for_selector("path.leaflet-interactive", timeout=15000)
    labels = page.locator(".atlas-label").all_inner_texts()
    # open every tooltip and popup the way Leaflet shows them (innerHTML of our content)
    shown = page.evaluate("""() => {
        const map = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])
                          .find(v => v && v.eachLayer);
        const texts = [];
        const show = (content) => {
            const popup = L.popup().setLatLng(map.getCenter()).setContent(content).openOn(map);
            texts.push(popup.getElement().querySelector('.leaflet-popup-content').textContent);
        };
        map.eachLayer(layer => {
            if (layer.getTooltip && layer.getTooltip()) show(layer.getTooltip().getContent());
            if (layer.getLayers) layer.getLayers().forEach(child => {
                if (child.getPopup && child.getPopup()) show(child.getPopup().getContent());
                if (child.getTooltip && child.getTooltip()) show(child.getTooltip().getContent());
            });
        });
        return texts;
    }""")
    # the search box lists the hostile names (its own list, built from the index) and goes to one
    page.click(".leaflet-control-search .search-button")
    page.locator(".leaflet-control-search input.search-input").fill("pwned")
    page.wait_for_selector(".search-tip")
    tips = page.locator(".search-tip").all_inner_texts()
    page.locator(".search-tip").first.click()
    # the coordinates box names a hostile unit
    page.mouse.click(640, 400)
    coords = page.inner_text(".atlas-coords")
    time.sleep(0.5)  # give any injected handler (img onerror) time to fire
    pwned = page.evaluate("() => window.__pwned")
    legend = page.locator(".atlas-legend").text_content()
    control = page.locator(".leaflet-control-layers").inner_text()
    page.close()
    assert pwned is None and not errors, (pwned, errors)
    assert any(PAYLOADS[0] in tip for tip in tips), tips
    everything = "\n".join(labels + shown + tips + [legend, control, coords])
    for payload in PAYLOADS:
        assert payload in everything, payload

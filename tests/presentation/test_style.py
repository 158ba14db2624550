"""The shared palette: corridors, facility categories, water and a planner's own layers stay apart."""

import itertools

import pytest

from presentation.style import (
    CATEGORY_COLOURS,
    CONTEXT_FILL,
    CORRIDOR_COLOURS,
    SELECTION_COLOUR,
    UNIT_FILL,
    USER_BOUNDARY_COLOUR,
    USER_POINT_COLOUR,
    WATER_EDGE,
    WATER_FILL,
    delta_e,
)

BACKGROUND = {"water fill": WATER_FILL, "water edge": WATER_EDGE, "unit fill": UNIT_FILL, "context": CONTEXT_FILL}
USER = {"user points": USER_POINT_COLOUR, "user boundary": USER_BOUNDARY_COLOUR, "selection": SELECTION_COLOUR}


def test_delta_e_measures_perceived_difference():
    assert delta_e("#ffffff", "#ffffff") == 0
    assert delta_e("#000000", "#ffffff") == pytest.approx(100, abs=0.5)  # CIE L* from 0 to 100
    assert delta_e("#ff7f0e", "#ff7f00") < 3  # the old 虹桥 orange and computing-centre orange


@pytest.mark.parametrize(
    "first, second, minimum",
    [
        (CORRIDOR_COLOURS, CORRIDOR_COLOURS, 20),
        (CORRIDOR_COLOURS, CATEGORY_COLOURS, 20),
        (CATEGORY_COLOURS, CATEGORY_COLOURS, 15),
        (CORRIDOR_COLOURS, BACKGROUND, 20),  # 沪宁 was a blue close to the lakes
        (CATEGORY_COLOURS, BACKGROUND, 20),
        (CORRIDOR_COLOURS | CATEGORY_COLOURS, USER, 15),
    ],
    ids=["corridors", "corridors-categories", "categories", "corridors-background", "categories-background", "user"],
)
def test_palettes_stay_apart(first, second, minimum):
    pairs = (
        itertools.combinations(first.items(), 2)
        if first is second
        else ((a, b) for a in first.items() for b in second.items())
    )
    close = [(a[0], b[0], round(delta_e(a[1], b[1]), 1)) for a, b in pairs if delta_e(a[1], b[1]) < minimum]
    assert close == []


def test_every_category_has_its_own_marker():
    from presentation.style import CATEGORY_MARKERS

    assert set(CATEGORY_MARKERS) == set(CATEGORY_COLOURS)
    assert len(set(CATEGORY_MARKERS.values())) == len(CATEGORY_MARKERS)


def test_thematic_classes_read_light_to_dark_and_never_as_water():
    from presentation.style import THEME_COLOURS, THEME_MISSING, _cielab

    lightness = [_cielab(c)[0] for c in THEME_COLOURS]
    assert lightness == sorted(lightness, reverse=True)  # more is darker
    for colour in (*THEME_COLOURS, THEME_MISSING):
        assert delta_e(colour, WATER_FILL) >= 20 and delta_e(colour, WATER_EDGE) >= 20


def test_a_scenarios_own_corridors_get_the_same_colour_on_the_web_map_and_the_figure():
    from presentation.style import EXTRA_CORRIDOR_COLOURS, corridor_colour

    ids = ["north", "ring", "south"]  # a layout's ids in order: the plan's ring keeps its colour
    assert corridor_colour("ring", ids) == CORRIDOR_COLOURS["ring"]
    assert corridor_colour("north", ids) == EXTRA_CORRIDOR_COLOURS[0]
    assert corridor_colour("south", ids) == EXTRA_CORRIDOR_COLOURS[2]

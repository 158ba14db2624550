import geopandas as gpd

from layers import FACILITY_CATEGORIES, PRECISION_CLASSES


def test_each_facility_lies_in_its_stated_unit(atlas):
    joined = gpd.sjoin(atlas.facilities, atlas.units[["adcode", "geometry"]].rename(columns={"adcode": "found"}),
                       predicate="within", how="left")
    wrong = joined.loc[joined["found"] != joined["adcode"], ["facility_id", "adcode", "found"]]
    assert wrong.empty, wrong.to_string()


def test_facility_fields_are_complete(atlas):
    f = atlas.facilities
    assert f.crs.to_epsg() == 4326
    assert set(f["category"]) <= set(FACILITY_CATEGORIES)
    assert set(f["precision"]) <= set(PRECISION_CLASSES)
    assert (f[["name_zh", "name_en", "source_url", "source_datum"]] != "").all().all()

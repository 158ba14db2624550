"""Every user-facing string of the app, in Chinese (default) and English."""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

TEXT: dict[str, tuple[str, str]] = {
    # frame
    "app_title": ("苏州数字经济创新集群地图", "Suzhou Innovation Atlas"),
    "app_caption": ("《苏州市数字经济创新集群行动方案（2025）》一环两轴三带空间布局",
                    "The one ring, two axes and three belts of Suzhou's 2025 digital-economy innovation plan"),
    "language": ("语言", "Language"),
    "page": ("页面", "Page"),
    "page_map": ("地图", "Map"),
    "page_query": ("查询", "Query"),
    "page_summary": ("汇总", "Summary"),
    "bad_url_value": ("链接中的参数 {name}={value} 无效，已忽略。", "The link's parameter {name}={value} is not valid and was ignored."),
    # map controls
    "corridors_shown": ("显示的走廊", "Corridors shown"),
    "categories_shown": ("显示的设施类别", "Facility categories shown"),
    "basemap": ("底图", "Basemap"),
    "basemap_none": ("无底图（离线可用）", "None (always works offline)"),
    "basemap_osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap_amap": ("高德地图（GCJ-02）", "Amap / Gaode (GCJ-02)"),
    "basemap_tianditu": ("天地图", "Tianditu"),
    "basemap_custom": ("自定义瓦片服务（内网）", "Custom tile server (intranet)"),
    "custom_url": ("瓦片地址模板", "Tile URL template"),
    "custom_url_help": ("例如 http://tiles.example.local/{z}/{x}/{y}.png，须包含 {z}、{x}、{y}",
                        "e.g. http://tiles.example.local/{z}/{x}/{y}.png; must contain {z}, {x} and {y}"),
    "custom_datum": ("瓦片坐标系", "Tile datum"),
    "tianditu_missing": ("未配置天地图密钥。请在 https://console.tianditu.gov.cn 注册并申请“浏览器端”密钥，"
                         "然后设置环境变量 TIANDITU_KEY，或在 .streamlit/secrets.toml 中写入 tianditu_key = \"…\"，再重启应用。"
                         "在此之前地图不加载底图。",
                         "No Tianditu key is configured. Register at https://console.tianditu.gov.cn, create a "
                         "browser key, then set the environment variable TIANDITU_KEY or put tianditu_key = \"...\" "
                         "in .streamlit/secrets.toml and restart the app. Until then the map draws without tiles."),
    "amap_note": ("高德底图使用 GCJ-02 坐标系：显示时所有矢量图层已同步偏移到 GCJ-02，点击位置会换算回 WGS84。",
                  "Amap tiles use GCJ-02: every vector layer is shifted into GCJ-02 while shown, and clicks are converted back to WGS84."),
    "tiles_offline": ("无网络时瓦片会加载失败，矢量图层照常显示。", "Without internet the tiles fail quietly; the vector layers still draw."),
    "map_help": ("点击地图上的规划单元或设施，右侧显示详情。", "Click a unit or facility on the map to see its details here."),
    "layer_units": ("规划单元", "Planning units"),
    "layer_labels": ("单元名称", "Unit names"),
    "legend_title": ("图例", "Legend"),
    "legend_units": ("规划单元边界", "Planning unit border"),
    "legend_spine": ("示意轴线（非实测）", "schematic spine (not surveyed)"),
    "schematic": ("示意", "schematic"),
    # selection panel
    "selected_unit": ("所选单元", "Selected unit"),
    "selected_facility": ("所选设施", "Selected facility"),
    "nothing_selected": ("尚未选择。", "Nothing selected yet."),
    "clear_selection": ("清除选择", "Clear selection"),
    "outside": ("该位置不在苏州十个规划单元内。", "That spot is outside Suzhou's ten planning units."),
    "kind": ("类型", "Kind"),
    "kind_district": ("市辖区", "district"),
    "kind_county-level city": ("县级市", "county-level city"),
    "kind_functional zone": ("功能区", "functional zone"),
    "area_measured": ("面积（EPSG:4549 量算）", "Area (measured in EPSG:4549)"),
    "area_published": ("公布面积", "Published area"),
    "km2": ("平方千米", "km²"),
    "km": ("千米", "km"),
    "in_corridors": ("所在走廊及角色", "Corridors and roles"),
    "in_no_corridor": ("不属于任何走廊。", "In no corridor."),
    "role": ("角色", "Role"),
    "group": ("分组", "Group"),
    "facilities_here": ("本单元设施", "Facilities in this unit"),
    # facility record
    "name": ("名称", "Name"),
    "name_zh": ("中文名", "Chinese name"),
    "name_en": ("英文名", "English name"),
    "category": ("类别", "Category"),
    "unit": ("所在单元", "Unit"),
    "source": ("来源", "Source"),
    "coord_source": ("坐标来源", "Coordinate source"),
    "precision": ("位置精度", "Position precision"),
    "datum": ("原始坐标系", "Source datum"),
    "note": ("备注", "Note"),
    "plan_section": ("方案条目", "Plan section"),
    "cat_lab": ("实验室", "lab"),
    "cat_university": ("高校", "university"),
    "cat_research institute": ("研究机构", "research institute"),
    "cat_innovation centre": ("创新中心", "innovation centre"),
    "cat_computing centre": ("计算中心", "computing centre"),
    "cat_platform": ("平台", "platform"),
    "cat_park": ("园区", "park"),
    "cat_innovation district": ("科教创新区", "innovation district"),
    "cat_national zone": ("国家级开发区", "national zone"),
    "prec_site": ("场所", "site"),
    "prec_campus": ("校区", "campus"),
    "prec_district centre": ("板块中心（示意，非实址）", "district centre (marks the unit, not the site)"),
    "prec_planned": ("规划中", "planned"),
    # corridors
    "corridor_kind_ring": ("环", "ring"),
    "corridor_kind_axis": ("轴", "axis"),
    "corridor_kind_belt": ("带", "belt"),
    "functions": ("功能分区", "Functions"),
    "anchors": ("对接的外部节点", "Outside places it links"),
    # query page
    "q_unit": ("单元 → 所在走廊", "Unit → its corridors"),
    "q_unit_input": ("单元（名称、代码或别名）", "Unit (name, code or alias)"),
    "q_corridor": ("走廊 → 途经单元", "Corridor → its units"),
    "q_corridor_input": ("走廊", "Corridor"),
    "q_point": ("坐标 → 单元与走廊", "Point → unit and corridors"),
    "lon": ("经度", "Longitude"),
    "lat": ("纬度", "Latitude"),
    "q_point_datum": ("坐标系", "Datum"),
    "datum_wgs84": ("WGS84（GPS、天地图、OSM）", "WGS84 (GPS, Tianditu, OSM)"),
    "datum_gcj02": ("GCJ-02（高德、腾讯）", "GCJ-02 (Amap, Tencent)"),
    "datum_bd09": ("BD-09（百度）", "BD-09 (Baidu)"),
    "locate": ("定位", "Locate"),
    "point_in": ("该点位于 {name}（{code}）。", "The point is in {name} ({code})."),
    "point_wgs84": ("WGS84 坐标：{lon:.6f}, {lat:.6f}", "WGS84 coordinates: {lon:.6f}, {lat:.6f}"),
    "q_facility": ("设施搜索", "Facility search"),
    "q_facility_input": ("名称（中文或英文，可部分匹配）", "Name (Chinese or English, partial)"),
    "q_no_match": ("没有匹配的设施。", "No facility matches."),
    "q_matches": ("找到 {n} 个设施", "{n} facilities found"),
    "unplaced_title": ("方案提及、尚未上图的设施", "Facilities the plan names that are not on the map yet"),
    "reason": ("原因", "Reason"),
    "error": ("输入有误", "Bad input"),
    # summary page
    "s_corridors": ("各走廊汇总", "Per-corridor summary"),
    "s_units": ("各单元汇总", "Per-unit summary"),
    "s_matrix": ("单元 × 走廊（布局一览）", "Units × corridors (the layout at a glance)"),
    "s_chart_area": ("走廊范围面积（平方千米）", "Corridor zone area (km²)"),
    "s_chart_facilities": ("各走廊设施数（按类别）", "Facilities per corridor by category"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "col_id": ("编号", "id"),
    "col_corridor": ("走廊", "Corridor"),
    "col_kind": ("类型", "Kind"),
    "col_members": ("途经单元", "Member units"),
    "col_member_count": ("单元数", "Units"),
    "col_zone_area": ("范围面积（km²）", "Zone area (km²)"),
    "col_spine": ("示意轴线长度（km）", "Schematic spine length (km)"),
    "col_facilities": ("设施数", "Facilities"),
    "col_unit": ("单元", "Unit"),
    "col_adcode": ("代码", "Code"),
    "col_area_measured": ("量算面积（km²）", "Measured area (km²)"),
    "col_area_published": ("公布面积（km²）", "Published area (km²)"),
    "col_corridors": ("所在走廊", "Corridors"),
    "col_count": ("数量", "Count"),
    "summary_note": ("面积在 EPSG:4549（CGCS2000 3 度带 120°E）中量算；轴线为示意线，长度仅供参考；"
                     "设施按所在单元计入走廊。",
                     "Areas are measured in EPSG:4549 (CGCS2000, 3-degree zone, 120°E); spines are schematic, so "
                     "their lengths are indicative only; a facility counts toward every corridor its unit belongs to."),
}


def t(key: str, lang: str, **values) -> str:
    """The text for ``key`` in ``lang`` (zh or en), formatted with ``values``."""
    zh, en = TEXT[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def pick(record, lang: str, field: str = "name") -> str:
    """``record[field_zh]`` or ``record[field_en]`` by language (dicts, pandas rows or namedtuples)."""
    key = f"{field}_{lang}"
    return getattr(record, key) if hasattr(record, "_fields") else record[key]

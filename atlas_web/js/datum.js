/* GCJ-02 <-> WGS84 in the browser: a port of spatial/datum.py (the published forward formula on the
   Krasovsky ellipsoid, and its exact inverse by fixed-point iteration to about 1 mm). The page's one
   copy; tests/atlas_web/test_maptools_browser.py checks it against spatial.datum on many points. */
window.atlasDatum = (function () {
  var A_M = 6378245.0, EE = 0.00669342162296594323, PI = Math.PI;
  var TOLERANCE_DEG = 1e-9, MAX_ITERATIONS = 30;
  function offsets(lon, lat) {  // GCJ-02 minus WGS84, in degrees, at a WGS84 position
    var x = lon - 105.0, y = lat - 35.0, sqrtAbsX = Math.sqrt(Math.abs(x));
    var periodic = (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrtAbsX + periodic
      + (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0
      + (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrtAbsX + periodic
      + (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0
      + (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    var radLat = lat / 180.0 * PI, magic = 1.0 - EE * Math.pow(Math.sin(radLat), 2), sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A_M * (1.0 - EE)) / (magic * sqrtMagic) * PI);
    dLon = (dLon * 180.0) / (A_M / sqrtMagic * Math.cos(radLat) * PI);
    return [dLon, dLat];
  }
  function wgs84ToGcj02(lon, lat) {
    var d = offsets(lon, lat);
    return [lon + d[0], lat + d[1]];
  }
  function gcj02ToWgs84(lon, lat) {
    var x = lon, y = lat;
    for (var i = 0; i < MAX_ITERATIONS; i++) {
      var f = wgs84ToGcj02(x, y), errLon = f[0] - lon, errLat = f[1] - lat;
      x -= errLon;
      y -= errLat;
      if (Math.max(Math.abs(errLon), Math.abs(errLat)) < TOLERANCE_DEG) { break; }
    }
    return [x, y];
  }
  // a position on the map (in the map's display datum) as [lon, lat] in WGS84 and in GCJ-02
  function both(lon, lat, datum) {
    if (datum === "gcj02") { return {wgs84: gcj02ToWgs84(lon, lat), gcj02: [lon, lat]}; }
    return {wgs84: [lon, lat], gcj02: wgs84ToGcj02(lon, lat)};
  }
  return {wgs84ToGcj02: wgs84ToGcj02, gcj02ToWgs84: gcj02ToWgs84, both: both};
})();

// The map page's libraries in one browser file: d3-geo (projection and SVG paths) and
// topojson-client (Natural Earth outlines from world-atlas). Built by vendor.mjs into
// static/vendor/map/map.min.js, exposed as `window.KartotekaMap`.
import { geoBounds, geoCentroid, geoGraticule10, geoNaturalEarth1, geoPath } from "d3-geo";
import { feature, mesh } from "topojson-client";

export { feature, geoBounds, geoCentroid, geoGraticule10, geoNaturalEarth1, geoPath, mesh };

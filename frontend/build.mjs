// Builds the explorer's assets into explorer/static/explorer/ (committed, so that serving needs no
// Node.js): the countries' outlines from Natural Earth (world-atlas) as SVG, and the page's script.
// The same inputs give the same bytes: pinned packages (package-lock.json), no dates, no source maps.
import { readFileSync, writeFileSync } from "node:fs";
import { geoEquirectangular, geoPath } from "d3-geo";
import { feature, mesh } from "topojson-client";
import { build } from "esbuild";

const out = new URL("../explorer/static/explorer/", import.meta.url);
const atlas = JSON.parse(readFileSync(new URL("node_modules/world-atlas/countries-110m.json", import.meta.url)));

// One unit per degree, x = longitude + 180 and y = 90 - latitude: the server places its marks in the
// same coordinates (explorer/map.py), so the map needs no projection code in the browser.
const projection = geoEquirectangular().scale(180 / Math.PI).translate([180, 90]);
const path = geoPath(projection).digits(2);
const land = path(feature(atlas, atlas.objects.land));
const borders = path(mesh(atlas, atlas.objects.countries, (a, b) => a !== b));
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180">
<!-- Natural Earth 1:110m (public domain), from the npm package world-atlas. -->
<g id="countries">
<path class="land" vector-effect="non-scaling-stroke" d="${land}"/>
<path class="borders" vector-effect="non-scaling-stroke" fill="none" d="${borders}"/>
</g>
</svg>
`;
writeFileSync(new URL("countries.svg", out), svg);

await build({
  entryPoints: [new URL("src/explorer.js", import.meta.url).pathname],
  outfile: new URL("explorer.js", out).pathname,
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "none",
});

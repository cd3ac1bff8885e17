// Put the browser files of our npm dependencies into the Python package's static folder, so
// `pip install kartoteka` alone serves them (no CDN, no npm at run time).
// Run from this folder: `npm ci && npm run vendor`, then commit static/vendor/.
//
// Libraries that ship a browser build are copied as they are; those that ship only modules
// (sigma 4, the graphology packages, d3-geo, topojson-client) are bundled with esbuild from
// the small entry files in src/. Every bundle gets a LICENSES.txt with the licence of each
// package esbuild put into it (read from its metafile, so none is forgotten).
// Licences get a .txt name because the package data globs in pyproject.toml ship *.txt.
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "static", "vendor");

// [package, file in the package, name in static/vendor/]
const FILES = [
  ["vis-timeline", "standalone/umd/vis-timeline-graph2d.min.js",
   "vis-timeline/vis-timeline-graph2d.min.js"],
  ["vis-timeline", "styles/vis-timeline-graph2d.min.css",
   "vis-timeline/vis-timeline-graph2d.min.css"],
  ["vis-timeline", "LICENSE.MIT.txt", "vis-timeline/LICENSE.MIT.txt"],
  ["vis-timeline", "LICENSE.Apache-2.0.txt", "vis-timeline/LICENSE.Apache-2.0.txt"],
  // Natural Earth 1:50m country outlines as TopoJSON (public domain; world-atlas is ISC)
  ["world-atlas", "countries-50m.json", "map/countries-50m.json"],
  ["world-atlas", "LICENSE", "map/LICENSE.world-atlas.txt"],
];

// [entry in src/, bundle in static/vendor/, global name (none for a worker)]
const BUNDLES = [
  ["graph.mjs", "graph/graph.min.js", "KartotekaGraph"],
  ["layout-worker.mjs", "graph/layout-worker.min.js", null],
  ["map.mjs", "map/map.min.js", "KartotekaMap"],
];

// Old vendored folders that nothing uses any more.
const GONE = ["cytoscape"];

function packageOf(path) {
  // node_modules/@scope/name/... or node_modules/name/...
  const parts = path.split("/");
  const i = parts.lastIndexOf("node_modules");
  if (i < 0) return null;
  return parts[i + 1].startsWith("@") ? `${parts[i + 1]}/${parts[i + 2]}` : parts[i + 1];
}

function licenceText(pkg) {
  const folder = join(here, "node_modules", pkg);
  for (const name of ["LICENSE", "LICENSE.txt", "LICENSE.md", "license", "LICENCE"]) {
    if (existsSync(join(folder, name))) return readFileSync(join(folder, name), "utf8");
  }
  const meta = JSON.parse(readFileSync(join(folder, "package.json")));
  throw new Error(`${pkg} (${meta.license}) ships no licence file: add its text by hand`);
}

function version(pkg) {
  return JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"))).version;
}

const versions = {};
for (const dir of GONE) rmSync(join(target, dir), { recursive: true, force: true });
for (const [pkg, from, to] of FILES) {
  const dest = join(target, to);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(join(here, "node_modules", pkg, from), dest);
  versions[pkg] = version(pkg);
  console.log(`${pkg}/${from} -> static/vendor/${to}`);
}

for (const [entry, to, globalName] of BUNDLES) {
  const outfile = join(target, to);
  const result = await build({
    entryPoints: [join(here, "src", entry)],
    bundle: true,
    minify: true,
    format: "iife",
    globalName: globalName || undefined,
    target: ["es2020"],
    legalComments: "none", // the licences go to LICENSES.txt beside the bundle, whole
    metafile: true,
    outfile,
    logLevel: "warning",
  });
  const packages = [...new Set(Object.keys(result.metafile.inputs).map(packageOf))]
    .filter(Boolean)
    .sort();
  const licences = packages.map((pkg) => {
    versions[pkg] = version(pkg);
    return `${"=".repeat(78)}\n${pkg} ${version(pkg)}\n${"=".repeat(78)}\n\n${licenceText(pkg)}`;
  });
  const licenceFile = outfile.replace(/\.min\.js$/, ".LICENSES.txt");
  writeFileSync(
    licenceFile,
    `The packages bundled into ${to}, with their licences.\n\n${licences.join("\n\n")}\n`,
  );
  console.log(`src/${entry} -> static/vendor/${to} (${packages.join(", ")})`);
}

// What is shipped, so the app (and a reader) can tell which versions these are.
const sorted = Object.fromEntries(Object.entries(versions).sort());
writeFileSync(join(target, "VERSIONS.json"), JSON.stringify(sorted, null, 2) + "\n");

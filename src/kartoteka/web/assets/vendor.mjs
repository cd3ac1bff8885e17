// Copy the built browser files of our npm dependencies into the Python package's static
// folder, so `pip install kartoteka` alone serves them (no CDN, no npm at run time).
// Run from this folder: `npm ci && npm run vendor`, then commit static/vendor/.
// Licences get a .txt name because the package data globs in pyproject.toml ship *.txt.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "static", "vendor");

// [package, file in the package, name in static/vendor/]
const FILES = [
  ["cytoscape", "dist/cytoscape.min.js", "cytoscape/cytoscape.min.js"],
  ["cytoscape", "LICENSE", "cytoscape/LICENSE.txt"],
  ["vis-timeline", "standalone/umd/vis-timeline-graph2d.min.js",
   "vis-timeline/vis-timeline-graph2d.min.js"],
  ["vis-timeline", "styles/vis-timeline-graph2d.min.css",
   "vis-timeline/vis-timeline-graph2d.min.css"],
  ["vis-timeline", "LICENSE.MIT.txt", "vis-timeline/LICENSE.MIT.txt"],
  ["vis-timeline", "LICENSE.Apache-2.0.txt", "vis-timeline/LICENSE.Apache-2.0.txt"],
];

const versions = {};
for (const [pkg, from, to] of FILES) {
  const source = join(here, "node_modules", pkg, from);
  const dest = join(target, to);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(source, dest);
  versions[pkg] = JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"))).version;
  console.log(`${pkg}/${from} -> static/vendor/${to}`);
}
// What is shipped, so the app (and a reader) can tell which versions these are.
writeFileSync(join(target, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");

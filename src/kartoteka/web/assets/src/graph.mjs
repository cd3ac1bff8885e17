// The network page's libraries in one browser file: graphology (the graph), sigma (WebGL
// drawing) with the programs the page uses, Louvain communities. Built by vendor.mjs into
// static/vendor/graph/graph.min.js, exposed as `window.KartotekaGraph`.
//
// sigma 3, not 4: sigma 4 computes each link's ends against its nodes' shapes in a shader
// pass on every frame, which Chromium without a GPU (software WebGL) draws about four times
// slower than sigma 3's plain programs (2,000 nodes and 10,000 links: ~1.1 s a frame against
// ~0.25-0.45 s, measured side by side in one page).
import Graph from "graphology";
import louvain from "graphology-communities-louvain";
import Sigma from "sigma";
import { EdgeArrowProgram, EdgeRectangleProgram, NodeCircleProgram } from "sigma/rendering";

export { EdgeArrowProgram, EdgeRectangleProgram, Graph, NodeCircleProgram, Sigma, louvain };

// The network page's libraries in one browser file: graphology (the graph), sigma (WebGL
// drawing), Louvain communities. Built by vendor.mjs into static/vendor/graph/graph.min.js,
// exposed as `window.KartotekaGraph`.
import Graph from "graphology";
import louvain from "graphology-communities-louvain";
import Sigma, { DEFAULT_STYLES } from "sigma";
import { extremityArrow, layerFill, pathLine, sdfCircle } from "sigma/rendering";

export { DEFAULT_STYLES, Graph, Sigma, extremityArrow, layerFill, louvain, pathLine, sdfCircle };

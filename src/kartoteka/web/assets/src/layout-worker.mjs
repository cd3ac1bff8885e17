// The network page's layout, in a web worker so a large graph is laid out without freezing
// the page, which draws it once, settled. Built by vendor.mjs into
// static/vendor/graph/layout-worker.min.js.
//
// Two levels, so that a few ForceAtlas2 iterations are enough on a large graph: first the
// graph of communities (one node per community, weighted by the links between them) is laid
// out, then each community's members start around its place, the best linked nearest the
// middle, and ForceAtlas2 runs on the whole graph from there.
//
// Message in:  {nodes: n, community: Int32Array, links: Float32Array (per node),
//               edges: Uint32Array (source, target pairs), weights: Float32Array,
//               iterations: number, settings: {...}}
// Message out: {x: Float32Array, y: Float32Array, iterations, ms}
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";

const GOLDEN = Math.PI * (3 - Math.sqrt(5));

function communityLayout(job) {
  const coarse = new Graph({ type: "undirected" });
  const members = new Map();
  for (let i = 0; i < job.nodes; i++) {
    const c = job.community[i];
    if (!members.has(c)) members.set(c, []);
    members.get(c).push(i);
  }
  // start the communities on a sunflower spiral, biggest in the middle
  const order = [...members.keys()].sort((a, b) => members.get(b).length - members.get(a).length);
  order.forEach((c, k) => {
    const r = 10 * Math.sqrt(k);
    coarse.addNode(c, { x: r * Math.cos(k * GOLDEN), y: r * Math.sin(k * GOLDEN),
                        size: Math.sqrt(members.get(c).length) });
  });
  for (let k = 0; k < job.edges.length; k += 2) {
    const a = job.community[job.edges[k]];
    const b = job.community[job.edges[k + 1]];
    if (a === b) continue;
    const w = job.weights[k / 2];
    if (coarse.hasEdge(a, b)) coarse.updateEdgeAttribute(a, b, "weight", (v) => v + w);
    else coarse.addEdge(a, b, { weight: w });
  }
  if (coarse.order > 1) {
    forceAtlas2.assign(coarse, {
      iterations: 300,
      settings: { ...job.settings, barnesHutOptimize: coarse.order > 500, adjustSizes: false },
    });
  }
  // spread the centres so that communities of their sizes fit side by side
  let spread = 1;
  coarse.forEachEdge((e, attrs, a, b, pa, pb) => {
    const d = Math.hypot(pa.x - pb.x, pa.y - pb.y) || 1;
    spread = Math.max(spread, (3 * (pa.size + pb.size)) / d);
  });
  const x = new Float32Array(job.nodes);
  const y = new Float32Array(job.nodes);
  members.forEach((list, c) => {
    const centre = coarse.getNodeAttributes(c);
    list.sort((a, b) => job.links[b] - job.links[a] || a - b);
    list.forEach((node, j) => {
      const r = 3 * Math.sqrt(j);
      x[node] = centre.x * spread + r * Math.cos(j * GOLDEN);
      y[node] = centre.y * spread + r * Math.sin(j * GOLDEN);
    });
  });
  return { x, y };
}

self.onmessage = (event) => {
  const started = performance.now();
  const job = event.data;
  const start = communityLayout(job);
  const graph = new Graph({ type: "undirected" });
  for (let i = 0; i < job.nodes; i++) {
    graph.addNode(i, { x: start.x[i], y: start.y[i], size: 1 });
  }
  for (let k = 0; k < job.edges.length; k += 2) {
    const a = job.edges[k];
    const b = job.edges[k + 1];
    const weight = job.weights[k / 2];
    if (graph.hasEdge(a, b)) graph.updateEdgeAttribute(a, b, "weight", (w) => w + weight);
    else graph.addEdge(a, b, { weight });
  }
  if (job.iterations > 0 && graph.size > 0) {
    forceAtlas2.assign(graph, { iterations: job.iterations, settings: job.settings });
  }
  const x = new Float32Array(job.nodes);
  const y = new Float32Array(job.nodes);
  graph.forEachNode((node, attrs) => {
    x[node] = attrs.x;
    y[node] = attrs.y;
  });
  self.postMessage(
    { x, y, iterations: job.iterations, ms: performance.now() - started },
    [x.buffer, y.buffer],
  );
};

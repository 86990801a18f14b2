// Left-to-right layout of a small directed graph (the designer's triggers -> function ->
// destinations) by dagre; imported lazily, so dagre stays out of the initial JavaScript.
import dagre from '@dagrejs/dagre';

export interface FlowNodeSize { id: string; width: number; height: number }
export interface FlowEdgeSpec { from: string; to: string; labelWidth: number; labelHeight: number }

export interface FlowLayout {
  width: number;
  height: number;
  /** Node centres. */
  nodes: Map<string, { x: number; y: number }>;
  /** Each edge's polyline and the centre of its label, in the order given. */
  edges: { from: string; to: string; points: { x: number; y: number }[]; label: { x: number; y: number } }[];
}

export function layoutFlow(nodes: FlowNodeSize[], edges: FlowEdgeSpec[]): FlowLayout {
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, edgesep: 12, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  for (const edge of edges) graph.setEdge(edge.from, edge.to, { width: edge.labelWidth, height: edge.labelHeight, labelpos: 'c' });
  dagre.layout(graph);
  const size = graph.graph();
  return {
    width: size.width ?? 0,
    height: size.height ?? 0,
    nodes: new Map(nodes.map((n) => {
      const placed = graph.node(n.id);
      return [n.id, { x: placed.x, y: placed.y }];
    })),
    edges: edges.map((e) => {
      const placed = graph.edge(e.from, e.to);
      return { from: e.from, to: e.to, points: placed.points ?? [], label: { x: placed.x ?? 0, y: placed.y ?? 0 } };
    }),
  };
}

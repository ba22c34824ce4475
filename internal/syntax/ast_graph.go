package syntax

// Graph operators: make-graph builds a graph from tables; graph-match,
// graph-shortest-paths, graph-to-table and graph-mark-components take one.

// MakeGraphOp is make-graph Src --> Dst [with_node_id=Name]
// [with Nodes on Key, ...] [partitioned-by Col (GraphOp | ...)].
type MakeGraphOp struct {
	At
	Src, Dst    *Ident
	Undirected  bool   // written with -- rather than -->
	NodeID      *Ident // with_node_id=Name; nil when absent
	Nodes       []*GraphNodes
	PartitionBy *Ident    // nil when absent
	Sub         *Pipeline // the partitioned-by body; its Source is nil
}

// GraphNodes is one Table on Key of make-graph's with clause.
type GraphNodes struct {
	At
	Table Expr
	Key   *Ident
}

// Edge directions of a graph pattern, as written from left to right.
const (
	EdgeRight = iota // -[e]-> or -->
	EdgeLeft         // <-[e]- or <--
	EdgeAny          // -[e]- or --
)

// GraphNodeElem is a node of a pattern: (n) or the anonymous ().
type GraphNodeElem struct {
	At
	Name *Ident // nil when anonymous
}

// GraphEdgeElem is an edge of a pattern. A variable-length edge
// -[e*Min..Max]-> has Variable set; a plain edge matches exactly one edge.
type GraphEdgeElem struct {
	At
	Name     *Ident // nil when anonymous
	Dir      int    // EdgeRight, EdgeLeft or EdgeAny
	Variable bool
	Min, Max int64
}

// GraphPath is one comma-separated part of a pattern: nodes joined by
// edges, so len(Nodes) == len(Edges)+1.
type GraphPath struct {
	At
	Nodes []*GraphNodeElem
	Edges []*GraphEdgeElem
}

// GraphMatchOp is graph-match [cycles=...] Pattern [where Pred] [project
// Items], and graph-shortest-paths [output=...] with the same clauses.
type GraphMatchOp struct {
	At
	Shortest bool // graph-shortest-paths
	Params   []*OpParam
	Paths    []*GraphPath
	Where    Expr // may be nil
	Project  []*Assign
}

// GraphToTableOp is graph-to-table nodes|edges [as Name] [with_...=Name],
// ....
type GraphToTableOp struct {
	At
	Parts []*GraphTablePart
}

// GraphTablePart is one nodes or edges output of graph-to-table.
type GraphTablePart struct {
	At
	Edges  bool
	As     *Ident // nil when absent
	Params []*OpParam
}

// GraphMarkComponentsOp is graph-mark-components [kind=...]
// [with_component_id=Name].
type GraphMarkComponentsOp struct {
	At
	Params []*OpParam
}

func (*MakeGraphOp) opNode()           {}
func (*GraphMatchOp) opNode()          {}
func (*GraphToTableOp) opNode()        {}
func (*GraphMarkComponentsOp) opNode() {}

package plan

import (
	"strconv"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// This file holds Kusto's graph semantics. make-graph turns tables into a
// graph, a value that is not a table: the plan nodes producing one
// (MakeGraph, MarkComponents) implement Graph and have an empty Schema;
// the nodes consuming one (GraphMatch, GraphToTable, MarkComponents) take
// it as Input and yield a table or another graph.

// GraphSchema types a graph: the properties of its nodes and edges.
type GraphSchema struct {
	Nodes column.Schema // node properties
	Edges column.Schema // edge properties: the columns of the edge table
	Key   types.Type    // the type of node ids
}

// Graph is a plan node whose output is a graph.
type Graph interface {
	Node
	GraphSchema() *GraphSchema
}

// The columns a node's element row holds after its properties, in this
// order, for the graph functions of graph-match (node_id(),
// node_degree_in(), node_degree_out()).
const (
	NodeIDCol = iota
	NodeDegreeInCol
	NodeDegreeOutCol
)

// NodeRow is the element row of a node: its properties, then its id (as a
// string, which node_id() returns), in and out degrees. Expressions over
// a node (GraphEach.Body, PatternNode.Where) read it.
func (g *GraphSchema) NodeRow() column.Schema {
	row := append(column.Schema(nil), g.Nodes...)
	return append(row,
		column.Field{Name: "node_id()", Type: types.String},
		column.Field{Name: "node_degree_in()", Type: types.Long},
		column.Field{Name: "node_degree_out()", Type: types.Long})
}

// NodeMeta returns the column of NodeRow holding meta (NodeIDCol, ...).
func (g *GraphSchema) NodeMeta(meta int) int { return len(g.Nodes) + meta }

// MakeGraph builds a graph: each row of Input is an edge from the node
// whose id is in column Src to the node whose id is in column Dst, with
// the row as its properties; each row of a Nodes table is a node. Nodes
// that only edges name get IDProps set to their id and null elsewhere.
// Under make-graph partitioned-by, Partitioned is set, Input is the
// partition's edges (all with one value in column PartCol) and only the
// node rows with that value in their PartCol are nodes.
type MakeGraph struct {
	Input       Node
	Src, Dst    int
	Undirected  bool
	Nodes       []*GraphNodes
	IDProps     []int // node properties holding the id of nodes no table describes
	Partitioned bool
	PartCol     int
	Out         GraphSchema
}

// GraphNodes is one node table of make-graph. Props[j] is the node
// property that input column j fills. PartCol is the table's partition
// column, -1 when the graph is not partitioned or the table lacks it.
type GraphNodes struct {
	Input   Node
	Key     int
	Props   []int
	PartCol int
}

// MarkComponents sets node property Col of a graph to the number of the
// connected component (weak, or strong when Strong) the node belongs to;
// Col is a new last property unless the input nodes already have one of
// that name.
type MarkComponents struct {
	Input  Node // a Graph
	Strong bool
	Col    int
	Out    GraphSchema
}

// GraphToTable turns the nodes, or the edges when Edges, of a graph into
// a table. Node rows are IDs (when set, the node's hash id), then the node
// properties; edge rows are the source id, the target id (each when
// asked for), then the edge properties.
type GraphToTable struct {
	Input            Node // a Graph
	Edges            bool
	NodeID           bool // nodes: with_node_id
	SourceID, Target bool // edges: with_source_id, with_target_id
	Out              column.Schema
}

// Cycles modes of graph-match: whether a match may repeat an edge or a
// node.
const (
	CyclesUniqueEdges = "unique_edges" // no edge twice in one match (the default)
	CyclesNone        = "none"         // no node twice
	CyclesAll         = "all"          // anything goes
)

// Edge directions of a pattern edge, from its From node to its To node.
const (
	EdgeForward = iota
	EdgeBackward
	EdgeAnyDir
)

// PatternNode is a node variable of a graph pattern. Where, over the
// node's element row (GraphSchema.NodeRow), is the condition the where
// clause puts on this node alone; nil when none.
type PatternNode struct {
	Name  string // "" when anonymous
	Where Expr
}

// PatternEdge is an edge variable of a graph pattern: a path of Min to
// Max graph edges from pattern node From to pattern node To, each going
// the way Dir says. A plain edge has Min == Max == 1 and !Variable.
// Where, over the edge properties, is the condition every edge of the path
// must meet, and InnerWhere, over GraphSchema.NodeRow, the one every inner
// node of the path must meet; nil when none.
type PatternEdge struct {
	Name       string
	From, To   int
	Dir        int
	Variable   bool
	Min, Max   int
	Where      Expr
	InnerWhere Expr
}

// MatchCol is a column of a graph match's row, which Where and Exprs
// read: column Col of the element row of variable Var (an edge when Edge;
// Col -1 for the element as a property bag). Of a variable-length edge it
// is the dynamic array of the values along the path. Elems instead makes
// it the element numbers of a variable-length edge's edges, or its inner
// nodes when Inner, for GraphEach.
type MatchCol struct {
	Edge  bool
	Var   int
	Col   int
	Elems bool
	Inner bool
	T     types.Type
}

// GraphMatch finds the matches of a pattern in its input graph: every
// assignment of graph nodes to Nodes and paths to Edges that respects the
// edges, Cycles and Where, and yields one row of Exprs each. With
// Shortest, only the shortest such paths between each assignment of the
// nodes are kept: one of them, or all with AllShortest.
type GraphMatch struct {
	Input       Node // a Graph
	Nodes       []PatternNode
	Edges       []PatternEdge
	Cycles      string
	Shortest    bool
	AllShortest bool
	Row         []MatchCol
	Where       Expr // over Row; may be nil
	Exprs       []Expr
	Out         column.Schema
}

// RowSchema is the schema of a match row.
func (n *GraphMatch) RowSchema() column.Schema {
	s := make(column.Schema, len(n.Row))
	for i, c := range n.Row {
		s[i] = column.Field{Name: "m" + strconv.Itoa(i), Type: c.T}
	}
	return s
}

// GraphEach applies Body to the graph elements whose numbers List holds
// (a MatchCol with Elems): all and any test a bool Body on every element,
// map collects Body's values in a dynamic array. Body reads the element
// row: the edge properties, or GraphSchema.NodeRow when Nodes.
type GraphEach struct {
	Op    string // "all", "any" or "map"
	List  Expr
	Nodes bool
	Body  Expr
}

// Type reports GraphEach's type: bool for all and any, dynamic for map.
func (e *GraphEach) Type() types.Type {
	if e.Op == "map" {
		return types.Dynamic
	}
	return types.Bool
}

func (e *GraphEach) String() string {
	return e.Op + "(" + e.List.String() + ", " + e.Body.String() + ")"
}

func (n *MakeGraph) Schema() column.Schema      { return nil }
func (n *MarkComponents) Schema() column.Schema { return nil }
func (n *GraphToTable) Schema() column.Schema   { return n.Out }
func (n *GraphMatch) Schema() column.Schema     { return n.Out }

func (n *MakeGraph) Inputs() []Node {
	ins := []Node{n.Input}
	for _, t := range n.Nodes {
		ins = append(ins, t.Input)
	}
	return ins
}
func (n *MarkComponents) Inputs() []Node { return []Node{n.Input} }
func (n *GraphToTable) Inputs() []Node   { return []Node{n.Input} }
func (n *GraphMatch) Inputs() []Node     { return []Node{n.Input} }

// GraphSchema implementations.

func (n *MakeGraph) GraphSchema() *GraphSchema      { return &n.Out }
func (n *MarkComponents) GraphSchema() *GraphSchema { return &n.Out }

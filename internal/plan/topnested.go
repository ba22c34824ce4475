package plan

import "github.com/huntql/huntql/internal/column"

// TopNestedLevel is one clause of top-nested: the rows of each partition
// of the previous level are grouped by Key, each group is valued by Value,
// an expression over the outputs of Aggs (each computed over the group's
// rows), and the N groups of highest (or, with Asc, lowest) value are kept.
type TopNestedLevel struct {
	N      int64 // -1 keeps every group
	Key    Expr
	Aggs   []*AggCall
	Value  Expr // reads the Aggs' outputs, in order
	Others Expr // constant key of the row for the groups not kept; nil for none
	Asc    bool
}

// TopNested is the top-nested operator. Its output has two columns per
// level, the key and its value; a level's "others" row has nulls in the
// columns of deeper levels.
type TopNested struct {
	Input  Node
	Levels []*TopNestedLevel
	Out    column.Schema
}

// Schema implements Node.
func (n *TopNested) Schema() column.Schema { return n.Out }

// Inputs implements Node.
func (n *TopNested) Inputs() []Node { return []Node{n.Input} }

// Sample keeps N rows of its input chosen at random, each subset of N rows
// equally likely. Seed makes the choice repeatable.
type Sample struct {
	Input Node
	N     int64
	Seed  uint64
}

// Schema implements Node.
func (n *Sample) Schema() column.Schema { return n.Input.Schema() }

// Inputs implements Node.
func (n *Sample) Inputs() []Node { return []Node{n.Input} }

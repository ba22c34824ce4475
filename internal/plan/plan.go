// Package plan defines huntql's logical plan: a tree of typed relational
// operators with typed scalar expressions, produced by semantic analysis
// (package sema) and consumed by an executor (package exec). The plan names
// no Go evaluation strategy, so another backend can translate it (for
// example to SQL for a distributed engine).
package plan

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// Node is a relational operator of the plan.
type Node interface {
	// Schema is the operator's output columns.
	Schema() column.Schema
	// Inputs are the operator's input nodes.
	Inputs() []Node
}

// Scan reads a table of the data set; Columns is its output schema.
// Needed, set by Prune, marks the columns the query reads; the others may
// be left null by the executor. Nil means all are read.
type Scan struct {
	Table   string
	Columns column.Schema
	Needed  []bool
}

// Filter keeps the rows for which Pred is true.
type Filter struct {
	Input Node
	Pred  Expr
}

// Project computes one output column per expression. It serves project,
// extend, project-away, project-keep, project-rename and project-reorder.
type Project struct {
	Input Node
	Exprs []Expr
	Out   column.Schema
}

// AggCall is one aggregate of an Aggregate node. Its outputs occupy
// len(Out) consecutive output columns.
type AggCall struct {
	Name string // the aggregate's Kusto name, e.g. "dcount"
	Args []Expr
	Out  column.Schema
}

// Aggregate groups rows by Keys and computes Aggs per group. The output is
// the key columns, then each aggregate's columns. With no keys it yields
// exactly one row, even over empty input.
type Aggregate struct {
	Input Node
	Keys  []Expr
	Aggs  []*AggCall
	Out   column.Schema
}

// SortKey orders by Expr; NullsFirst is already resolved from Kusto's
// defaults (nulls last when descending, first when ascending).
type SortKey struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

// Sort orders all its input rows.
type Sort struct {
	Input Node
	Keys  []SortKey
}

// Top keeps the first N rows in the order of Keys.
type Top struct {
	Input Node
	N     int64
	Keys  []SortKey
	// Count, when not nil, is the row count decided at run time, as in
	// top toscalar(T | count) by x; it reads no column. N is then unused.
	Count Expr
}

// Limit keeps the first N rows in input order (take, limit).
type Limit struct {
	Input Node
	N     int64
	// Count, when not nil, is the row count decided at run time, as in
	// take toscalar(T | count); it reads no column. N is then unused.
	Count Expr
}

// JoinKind is a Kusto join flavor.
type JoinKind string

// Join flavors.
const (
	InnerUnique JoinKind = "innerunique"
	Inner       JoinKind = "inner"
	LeftOuter   JoinKind = "leftouter"
	RightOuter  JoinKind = "rightouter"
	FullOuter   JoinKind = "fullouter"
	LeftAnti    JoinKind = "leftanti"
	RightAnti   JoinKind = "rightanti"
	LeftSemi    JoinKind = "leftsemi"
	RightSemi   JoinKind = "rightsemi"
)

// Join combines Left and Right rows whose key columns are equal. Its
// output is the left columns then the right columns, right names made
// unique (DeviceId1); semi and anti joins output one side only.
// LeftKeys[i] pairs with RightKeys[i]; both are column indexes.
type Join struct {
	Left, Right         Node
	Kind                JoinKind
	LeftKeys, RightKeys []int
	Out                 column.Schema
	Lookup              bool // lookup: the right key columns are not in Out
}

// Union concatenates its inputs into Out. Maps[i][j] is the column of
// input i that feeds output column j; -1 when input i lacks it (null
// there) and -2 for the withsource column, which holds Names[i].
type Union struct {
	Ins   []Node
	Maps  [][]int
	Names []string
	Out   column.Schema
}

// MvExpand expands the dynamic arrays (or bags) in Cols into one row per
// element; the other columns repeat. Types holds each expanded column's
// output type (dynamic unless "to typeof(T)" was given).
type MvExpand struct {
	Input     Node
	Cols      []int
	Types     []types.Type
	Limit     int64  // 0 for none
	ItemIndex string // with_itemindex column name, or ""
	BagArray  bool   // bagexpansion=array
	Out       column.Schema
}

// Values is an inline table (datatable, print).
type Values struct {
	Out  column.Schema
	Rows [][]Expr
}

// Range generates a single column from From to To by Step.
type Range struct {
	From, To, Step Expr
	Out            column.Schema
}

// Count yields one row with one long column, Count, the number of input rows.
type Count struct {
	Input Node
	Out   column.Schema
}

// Schema implementations.

func (n *Scan) Schema() column.Schema      { return n.Columns }
func (n *Filter) Schema() column.Schema    { return n.Input.Schema() }
func (n *Project) Schema() column.Schema   { return n.Out }
func (n *Aggregate) Schema() column.Schema { return n.Out }
func (n *Sort) Schema() column.Schema      { return n.Input.Schema() }
func (n *Top) Schema() column.Schema       { return n.Input.Schema() }
func (n *Limit) Schema() column.Schema     { return n.Input.Schema() }
func (n *Join) Schema() column.Schema      { return n.Out }
func (n *Union) Schema() column.Schema     { return n.Out }
func (n *MvExpand) Schema() column.Schema  { return n.Out }
func (n *Values) Schema() column.Schema    { return n.Out }
func (n *Range) Schema() column.Schema     { return n.Out }
func (n *Count) Schema() column.Schema     { return n.Out }

// Inputs implementations.

func (n *Scan) Inputs() []Node      { return nil }
func (n *Filter) Inputs() []Node    { return []Node{n.Input} }
func (n *Project) Inputs() []Node   { return []Node{n.Input} }
func (n *Aggregate) Inputs() []Node { return []Node{n.Input} }
func (n *Sort) Inputs() []Node      { return []Node{n.Input} }
func (n *Top) Inputs() []Node       { return []Node{n.Input} }
func (n *Limit) Inputs() []Node     { return []Node{n.Input} }
func (n *Join) Inputs() []Node      { return []Node{n.Left, n.Right} }
func (n *Union) Inputs() []Node     { return n.Ins }
func (n *MvExpand) Inputs() []Node  { return []Node{n.Input} }
func (n *Values) Inputs() []Node    { return nil }
func (n *Range) Inputs() []Node     { return nil }
func (n *Count) Inputs() []Node     { return []Node{n.Input} }

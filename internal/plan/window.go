package plan

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// WindowCall is one window function of a Serialize node: prev, next,
// row_number, row_cumsum, row_rank_dense, row_rank_min or
// row_window_session, with its arguments as written (optional ones may be
// missing).
type WindowCall struct {
	Name string
	Args []Expr
	T    types.Type
}

// Serialize fixes the order of its input rows and computes window functions
// over them in that order. Its output is the input columns, then one column
// per call; the arguments of a call may read the columns of earlier calls.
// With no calls it is the serialize operator alone.
type Serialize struct {
	Input Node
	Calls []*WindowCall
	Out   column.Schema
}

// Schema implements Node.
func (n *Serialize) Schema() column.Schema { return n.Out }

// Inputs implements Node.
func (n *Serialize) Inputs() []Node { return []Node{n.Input} }

// Serialized reports whether n's rows come in an order that window
// functions may rely on: the output of sort, top, top-hitters, range,
// getschema and serialize, kept by the operators that preserve row order
// (where, extend, project and its variants, take, parse, parse-where,
// parse-kv, mv-apply, scan, as). The serialize page lists the operators
// whose output is not serialized: count, distinct, evaluate, facet, join,
// make-series, mv-expand, reduce, sample, sample-distinct, summarize and
// top-nested.
func Serialized(n Node) bool {
	switch n := n.(type) {
	case *Sort, *Top, *Range, *Serialize:
		return true
	case *Filter:
		return Serialized(n.Input)
	case *Project:
		return Serialized(n.Input)
	case *Limit:
		return Serialized(n.Input)
	case *StepScan:
		return Serialized(n.Input)
	case *Parse:
		return Serialized(n.Input)
	case *ParseKv:
		return Serialized(n.Input)
	case *MvApply:
		return Serialized(n.Input)
	case *Materialize:
		return Serialized(n.Input)
	}
	return false
}

package plan

import (
	"fmt"
	"strings"

	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/types"
)

// Expr is a typed scalar expression over the columns of one input row.
type Expr interface {
	Type() types.Type
	String() string
}

// ColRef reads input column Index.
type ColRef struct {
	Index int
	Name  string
	T     types.Type
}

// Const is a constant value (nil for a typed null).
type Const struct {
	Value any
	T     types.Type
}

// Call calls scalar function Fn (named Name) on Args.
type Call struct {
	Name string
	Fn   *functions.Scalar
	Args []Expr
	T    types.Type
}

// Binary applies a binary operator.
type Binary struct {
	Op   string
	Fn   *functions.BinaryOp
	L, R Expr
	T    types.Type
}

// In tests X against a list of values: in, !in, in~, !in~, has_any, has_all.
// List elements are constants or expressions; dynamic arrays among them
// are flattened when evaluated.
type In struct {
	Op   string
	X    Expr
	List []Expr
	Sub  Node // when set, the list is the first column of this table
}

// Scalar is toscalar(Sub): the first column of the first row of a table,
// computed once per query.
type Scalar struct {
	Sub Node
	T   types.Type
}

// Between tests Lo <= X <= Hi (or its negation).
type Between struct {
	X, Lo, Hi Expr
	Not       bool
}

// Member reads property Key of a dynamic value.
type Member struct {
	X   Expr
	Key string
}

// Index reads element Index (a long, or a string key) of a dynamic value.
type Index struct {
	X, Idx Expr
}

// Neg is unary minus.
type Neg struct {
	X Expr
}

// Type implementations.

func (e *ColRef) Type() types.Type  { return e.T }
func (e *Const) Type() types.Type   { return e.T }
func (e *Call) Type() types.Type    { return e.T }
func (e *Binary) Type() types.Type  { return e.T }
func (e *In) Type() types.Type      { return types.Bool }
func (e *Between) Type() types.Type { return types.Bool }
func (e *Member) Type() types.Type  { return types.Dynamic }
func (e *Index) Type() types.Type   { return types.Dynamic }
func (e *Neg) Type() types.Type     { return e.X.Type() }
func (e *Scalar) Type() types.Type  { return e.T }

// String implementations print a KQL-like form, for plans and debugging.

func (e *ColRef) String() string { return e.Name }

func (e *Const) String() string {
	if e.Value == nil {
		return e.T.String() + "(null)"
	}
	if s, ok := e.Value.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return types.Format(e.Value)
}

func (e *Call) String() string { return e.Name + "(" + joinExprs(e.Args) + ")" }

func (e *Binary) String() string {
	return "(" + e.L.String() + " " + e.Op + " " + e.R.String() + ")"
}

func (e *In) String() string {
	if e.Sub != nil {
		return e.X.String() + " " + e.Op + " (<table>)"
	}
	return e.X.String() + " " + e.Op + " (" + joinExprs(e.List) + ")"
}

func (e *Between) String() string {
	op := " between ("
	if e.Not {
		op = " !between ("
	}
	return e.X.String() + op + e.Lo.String() + " .. " + e.Hi.String() + ")"
}

func (e *Member) String() string { return e.X.String() + "." + e.Key }
func (e *Index) String() string  { return e.X.String() + "[" + e.Idx.String() + "]" }
func (e *Neg) String() string    { return "-" + e.X.String() }
func (e *Scalar) String() string { return "toscalar(...)" }

func joinExprs(es []Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", ")
}

package sema

import (
	"fmt"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// windowFuncs are the functions that read neighbouring rows, with their
// argument counts. Kusto allows them only over serialized input.
var windowFuncs = map[string][2]int{
	"prev": {1, 3}, "next": {1, 3}, "row_number": {0, 2}, "row_cumsum": {1, 2},
	"row_rank_dense": {1, 2}, "row_rank_min": {1, 2}, "row_window_session": {3, 4},
}

// window collects the window function calls met while binding the
// expressions of one operator over input base. Each call becomes a column
// of a plan.Serialize placed under the operator.
type window struct {
	base       column.Schema
	serialized bool
	calls      []*plan.WindowCall
}

// withWindow runs bind, which binds an operator's expressions over in, with
// window functions allowed. When they call any, it also returns the
// plan.Serialize over in that computes them.
func (a *analyzer) withWindow(in plan.Node, bind func() plan.Node) (plan.Node, *plan.Serialize) {
	saved := a.win
	a.win = &window{base: in.Schema(), serialized: plan.Serialized(in)}
	defer func() { a.win = saved }()
	n := bind()
	if n == nil || len(a.win.calls) == 0 {
		return n, nil
	}
	out := append(column.Schema(nil), a.win.base...)
	for i, c := range a.win.calls {
		out = append(out, column.Field{Name: windowColumn(i), Type: c.T})
	}
	return n, &plan.Serialize{Input: in, Calls: a.win.calls, Out: out}
}

// windowColumn names the hidden column of the i-th window call.
func windowColumn(i int) string { return fmt.Sprintf("$window%d", i) }

// windowCall binds a call of a window function: it checks that the input
// is serialized and the arguments, and returns a reference to the column
// the Serialize node computes for it.
func (a *analyzer) windowCall(sc *scope, row column.Schema, e *syntax.CallExpr) plan.Expr {
	name := e.Fun.Name
	w := a.win
	if w == nil || !sameSchema(row, w.base) {
		a.errorf(e.Fun, "window function %s() is only allowed in extend, project, where "+
			"and serialize", name)
		return nil
	}
	if !w.serialized {
		a.errorf(e.Fun, "window function %s() needs serialized input; add serialize or "+
			"sort by before it", name)
		return nil
	}
	args, argTypes, ok := a.args(sc, row, e.Args)
	if !ok {
		return nil
	}
	n := windowFuncs[name]
	if len(args) < n[0] || len(args) > n[1] {
		a.errorf(e, "%s() expects %s, found %d", name, arity(n[0], n[1]), len(args))
		return nil
	}
	t, ok := a.windowType(e, name, argTypes)
	if !ok {
		return nil
	}
	w.calls = append(w.calls, &plan.WindowCall{Name: name, Args: args, T: t})
	i := len(w.base) + len(w.calls) - 1
	return &plan.ColRef{Index: i, Name: windowColumn(len(w.calls) - 1), T: t}
}

// windowType checks the argument types of a window function and returns
// its result type.
func (a *analyzer) windowType(e *syntax.CallExpr, name string, ts []types.Type) (types.Type, bool) {
	isLong := func(t types.Type) bool {
		return t == types.Long || t == types.Int || t == types.Unknown || t == types.Dynamic
	}
	isBool := func(t types.Type) bool {
		return t == types.Bool || t == types.Unknown || t == types.Dynamic
	}
	bad := func(i int, want string) (types.Type, bool) {
		a.errorf(e.Args[i], "%s() expects %s as argument %d, found %s", name, want, i+1, ts[i])
		return types.Unknown, false
	}
	switch name {
	case "prev", "next":
		if len(ts) > 1 && !isLong(ts[1]) {
			return bad(1, "a long offset")
		}
		return ts[0], true
	case "row_number":
		if len(ts) > 0 && !isLong(ts[0]) {
			return bad(0, "a long start")
		}
		if len(ts) > 1 && !isBool(ts[1]) {
			return bad(1, "a bool restart condition")
		}
		return types.Long, true
	case "row_cumsum", "row_rank_dense", "row_rank_min":
		if len(ts) > 1 && !isBool(ts[1]) {
			return bad(1, "a bool restart condition")
		}
		if name != "row_cumsum" {
			if ts[0] == types.Dynamic {
				return bad(0, "a non-dynamic value")
			}
			return types.Long, true
		}
		if t := ts[0]; !t.IsNumeric() && t != types.Unknown {
			return bad(0, "a number")
		}
		return ts[0], true
	case "row_window_session":
		if t := ts[0]; t != types.Datetime && t != types.Unknown && t != types.Dynamic {
			return bad(0, "a datetime")
		}
		for i := 1; i <= 2; i++ {
			if t := ts[i]; t != types.Timespan && t != types.Unknown && t != types.Dynamic {
				return bad(i, "a timespan")
			}
		}
		if len(ts) > 3 && !isBool(ts[3]) {
			return bad(3, "a bool restart condition")
		}
		return types.Datetime, true
	}
	return types.Unknown, false
}

// sameSchema reports whether a and b are the same row schema.
func sameSchema(a, b column.Schema) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// serialize binds serialize [Name = Expr, ...]: the input marked as
// serialized, extended by the items.
func (a *analyzer) serialize(sc *scope, in plan.Node, op *syntax.SerializeOp) plan.Node {
	marked := &plan.Serialize{Input: in, Out: in.Schema()}
	if len(op.Items) == 0 {
		return marked
	}
	return a.windowed(marked, func(in plan.Node) plan.Node { return a.extend(sc, in, op.Items) })
}

// windowed binds an operator built by bind over in, with window functions
// allowed in its expressions. A projection reads the window columns from
// a Serialize node put under it; a filter is followed by a projection that
// drops them again.
func (a *analyzer) windowed(in plan.Node, bind func(plan.Node) plan.Node) plan.Node {
	n, win := a.withWindow(in, func() plan.Node { return bind(in) })
	if win == nil {
		return n
	}
	switch n := n.(type) {
	case *plan.Project:
		n.Input = win
		return n
	case *plan.Filter:
		n.Input = win
		s := in.Schema()
		return &plan.Project{Input: n, Exprs: identity(s), Out: s}
	}
	return n
}

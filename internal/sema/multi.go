package sema

import (
	"fmt"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// multiCall returns the call of it when it calls a function that returns
// several values (series_stats, series_fit_line, ...), else nil.
func multiCall(sc *scope, it *syntax.Assign) *syntax.CallExpr {
	call, ok := unparen(it.Value).(*syntax.CallExpr)
	if !ok || sc.lookup(call.Fun.Name) != nil {
		return nil
	}
	if outs, _ := callOutputs(call); outs == nil {
		return nil
	}
	return call
}

// callOutputs returns the values a call of a function of several values
// yields and their default column names: <function>_<argument>_<value>
// for series_fit_line and the like, <argument>_sorted for array_sort_asc
// and array_sort_desc of several arrays (array1_sorted, array2_sorted, ...
// for arguments without a name). It returns nil for other calls.
func callOutputs(call *syntax.CallExpr) ([]functions.Output, []string) {
	if isArraySort(call.Fun.Name) {
		arrays := call.Args
		if n := len(arrays); n > 0 {
			if lit, ok := arrays[n-1].(*syntax.Literal); ok && lit.Type == types.Bool {
				arrays = arrays[:n-1] // nulls_last
			}
		}
		if len(arrays) < 2 {
			return nil, nil
		}
		var outs []functions.Output
		var names []string
		unnamed := 0
		for _, arg := range arrays {
			name := exprName(arg)
			if name == "" {
				unnamed++
				name = fmt.Sprintf("array%d", unnamed)
			}
			outs = append(outs, functions.Output{Suffix: "sorted", Type: types.Dynamic})
			names = append(names, name+"_sorted")
		}
		return outs, names
	}
	outs := functions.Outputs(call.Fun.Name)
	arg := ""
	if len(call.Args) > 0 {
		arg = multiArgName(call.Args[0])
	}
	names := make([]string, len(outs))
	for i, o := range outs {
		names[i] = call.Fun.Name + "_" + arg + "_" + o.Suffix
	}
	return outs, names
}

func isArraySort(name string) bool {
	return name == "array_sort_asc" || name == "array_sort_desc"
}

// multiItem binds an extend or project item calling a function of several
// values into one column per value. The item's names (a tuple, as in
// (a, b) = series_fit_line(y)) name the first columns; Kusto names the
// others <function>_<argument>_<value>, made unique by nm. It returns nil
// after reporting an error.
func (a *analyzer) multiItem(sc *scope, row column.Schema, it *syntax.Assign,
	call *syntax.CallExpr, nm *namer, hold func(plan.Expr) plan.Expr,
) ([]plan.Expr, column.Schema, []bool) {
	outs, defaults := callOutputs(call)
	if len(it.Names) > len(outs) {
		a.errorf(it, "%s() yields %d values, but %d names are given",
			call.Fun.Name, len(outs), len(it.Names))
		return nil, nil, nil
	}
	x := a.scalar(sc, row, call)
	if x == nil {
		return nil, nil, nil
	}
	x = hold(x)
	var exprs []plan.Expr
	var fields column.Schema
	var explicit []bool
	for i, o := range outs {
		name := defaults[i]
		given := i < len(it.Names)
		if given {
			name = it.Names[i].Name
		} else {
			name = nm.unique(name)
		}
		nm.used[name] = true
		exprs = append(exprs, &plan.Call{Name: functions.OutputItem.Name, Fn: functions.OutputItem,
			Args: []plan.Expr{x, &plan.Const{Value: int64(i), T: types.Long}}, T: o.Type})
		fields = append(fields, column.Field{Name: name, Type: o.Type})
		explicit = append(explicit, given)
	}
	return exprs, fields, explicit
}

// tupleCols computes each multi-value call once per row: the call becomes a
// hidden column of a Project under the operator, and its output columns
// read that column.
type tupleCols struct {
	in    plan.Node
	exprs []plan.Expr // the input's columns, then the calls
	out   column.Schema
}

func newTupleCols(in plan.Node) *tupleCols {
	s := in.Schema()
	return &tupleCols{in: in, exprs: identity(s), out: append(column.Schema(nil), s...)}
}

// hold adds call x as a hidden column and returns a reference to it.
func (t *tupleCols) hold(x plan.Expr) plan.Expr {
	name := fmt.Sprintf("__tuple%d", len(t.out))
	t.exprs = append(t.exprs, x)
	t.out = append(t.out, column.Field{Name: name, Type: types.Dynamic})
	return &plan.ColRef{Index: len(t.out) - 1, Name: name, T: types.Dynamic}
}

// input is the operator's input: the Project of the hidden columns, or the
// original input when no item needed one. The input's own columns keep
// their positions, so expressions bound over its schema stay valid.
func (t *tupleCols) input() plan.Node {
	if len(t.out) == len(t.in.Schema()) {
		return t.in
	}
	return &plan.Project{Input: t.in, Exprs: t.exprs, Out: t.out}
}

// multiArgName is the argument part of a multi-value function's column
// names, as Kusto forms it: a column's name, y_0 for y[0], the inner name
// of a conversion such as todynamic(y), and nothing for other calls.
func multiArgName(e syntax.Expr) string {
	switch x := unparen(e).(type) {
	case *syntax.CallExpr:
		if r, ok := scalarNames[x.Fun.Name]; ok && r.kind == nameFirstArg && len(x.Args) >= 1 {
			return multiArgName(x.Args[0])
		}
		return ""
	case *syntax.IndexExpr:
		if lit, ok := x.Index.(*syntax.Literal); ok {
			switch v := lit.Value.(type) {
			case int64, int32:
				if name := exprName(x.X); name != "" {
					return name + "_" + types.Format(v)
				}
			}
		}
	}
	return exprName(e)
}

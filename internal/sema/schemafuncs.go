package sema

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// This file binds the scalar functions whose meaning depends on the input
// schema rather than on values: column_ifexists, bag_pack_columns and
// column_names_of.

// schemaFuncs lists the functions bound here, by name.
var schemaFuncs = map[string]bool{
	"column_ifexists": true, "columnifexists": true,
	"bag_pack_columns": true, "column_names_of": true, "estimate_data_size": true,
}

// schemaCall binds a call of one of schemaFuncs.
func (a *analyzer) schemaCall(sc *scope, row column.Schema, e *syntax.CallExpr) plan.Expr {
	switch e.Fun.Name {
	case "column_ifexists", "columnifexists":
		return a.columnIfExists(sc, row, e)
	case "bag_pack_columns":
		return a.bagPackColumns(sc, row, e)
	case "estimate_data_size":
		return a.estimateDataSize(sc, row, e)
	}
	return a.columnNamesOf(sc, e)
}

// columnIfExists binds column_ifexists(name, default): the column if the
// row has it, else default. Kusto types the call by default, so a column of
// another type is converted to it.
func (a *analyzer) columnIfExists(sc *scope, row column.Schema, e *syntax.CallExpr) plan.Expr {
	name := e.Fun.Name
	if len(e.Args) != 2 {
		a.errorf(e, "%s() expects 2 arguments, found %d", name, len(e.Args))
		return nil
	}
	lit, ok := unparen(e.Args[0]).(*syntax.Literal)
	col, isStr := "", false
	if ok {
		col, isStr = lit.Value.(string)
	}
	if !isStr {
		a.errorf(e.Args[0], "%s() expects a constant column name as its first argument", name)
		return nil
	}
	def := a.scalar(sc, row, e.Args[1])
	if def == nil {
		return nil
	}
	i := row.Index(col)
	if i < 0 {
		return def
	}
	ref := &plan.ColRef{Index: i, Name: col, T: row[i].Type}
	t := def.Type()
	if t == types.Unknown || t == ref.T {
		return ref
	}
	conv, ok := functions.LookupScalar(converter[t])
	if !ok {
		return ref
	}
	return &plan.Call{Name: conv.Name, Fn: conv, Args: []plan.Expr{ref}, T: t}
}

// converter names the conversion function to each type.
var converter = map[types.Type]string{
	types.String: "tostring", types.Long: "tolong", types.Int: "toint",
	types.Real: "toreal", types.Bool: "tobool", types.Datetime: "todatetime",
	types.Timespan: "totimespan", types.Guid: "toguid", types.Decimal: "todecimal",
	types.Dynamic: "todynamic",
}

// bagPackColumns binds bag_pack_columns(c1, c2, ...): a property bag of the
// named columns, built as bag_pack("c1", c1, "c2", c2, ...).
func (a *analyzer) bagPackColumns(sc *scope, row column.Schema, e *syntax.CallExpr) plan.Expr {
	fn, ok := functions.LookupScalar("bag_pack")
	if !ok {
		a.errorf(e, "bag_pack_columns() is not supported yet")
		return nil
	}
	args := make([]plan.Expr, 0, 2*len(e.Args))
	for _, x := range e.Args {
		id, ok := unparen(x).(*syntax.Ident)
		if !ok || row.Index(id.Name) < 0 {
			a.errorf(x, "bag_pack_columns() expects column names, found %s", describe(x))
			return nil
		}
		v := a.scalar(sc, row, id)
		if v == nil {
			return nil
		}
		args = append(args, &plan.Const{Value: id.Name, T: types.String}, v)
	}
	return &plan.Call{Name: "bag_pack", Fn: fn, Args: args, T: types.Dynamic}
}

// estimateDataSize binds estimate_data_size(...), where * stands for every
// column of the row.
func (a *analyzer) estimateDataSize(sc *scope, row column.Schema, e *syntax.CallExpr) plan.Expr {
	fn, ok := functions.LookupScalar(e.Fun.Name)
	if !ok {
		a.errorf(e, "estimate_data_size() is not supported yet")
		return nil
	}
	if len(e.Args) == 0 {
		a.errorf(e, "estimate_data_size() expects at least 1 argument, found 0")
		return nil
	}
	var args []plan.Expr
	for _, x := range e.Args {
		if _, star := x.(*syntax.StarExpr); star {
			for i, f := range row {
				args = append(args, &plan.ColRef{Index: i, Name: f.Name, T: f.Type})
			}
			continue
		}
		v := a.scalar(sc, row, x)
		if v == nil {
			return nil
		}
		args = append(args, v)
	}
	return &plan.Call{Name: fn.Name, Fn: fn, Args: args, T: types.Long}
}

// columnNamesOf binds column_names_of(T): the names of T's columns as a
// constant dynamic array.
func (a *analyzer) columnNamesOf(sc *scope, e *syntax.CallExpr) plan.Expr {
	if len(e.Args) != 1 || !a.isTabular(sc, e.Args[0]) {
		a.errorf(e, "column_names_of() expects one table argument")
		return nil
	}
	sub := a.tabular(sc, e.Args[0])
	if sub == nil {
		return nil
	}
	names := make([]any, 0, len(sub.Schema()))
	for _, f := range sub.Schema() {
		names = append(names, f.Name)
	}
	return &plan.Const{Value: names, T: types.Dynamic}
}

// unavailable reports, and returns true for, a call of a Kusto function that
// huntql deliberately does not provide (cluster(), database(), ...) or of a
// graph function outside a graph pattern, unless a let statement has bound
// the name.
func (a *analyzer) unavailable(sc *scope, e *syntax.CallExpr) bool {
	if sc.lookup(e.Fun.Name) != nil {
		return false
	}
	if isGraphFunc(e.Fun.Name) {
		// Graph functions are bound by graph-match; elsewhere they are errors.
		msg := "%s() is a graph function, only allowed in graph-match and graph-shortest-paths"
		if _, isAgg := functions.LookupAggregate(e.Fun.Name); isAgg {
			msg = "%s() is an aggregate, only allowed in summarize, or a graph function, " +
				"only allowed in graph-match and graph-shortest-paths"
		}
		a.errorf(e.Fun, msg, e.Fun.Name)
		return true
	}
	reason, ok := functions.Unavailable(e.Fun.Name)
	if !ok {
		return false
	}
	a.errorf(e.Fun, "%s() is not available in huntql: %s", e.Fun.Name, reason)
	return true
}

// unavailableRoot returns the call at the root of a member chain such as
// cluster("c").database("d").T, or nil.
func unavailableRoot(e syntax.Expr) *syntax.CallExpr {
	for {
		switch x := e.(type) {
		case *syntax.MemberExpr:
			e = x.X
		case *syntax.IndexExpr:
			e = x.X
		case *syntax.ParenExpr:
			e = x.X
		case *syntax.MethodCallExpr:
			e = x.X
		case *syntax.CallExpr:
			if _, ok := functions.Unavailable(x.Fun.Name); ok {
				return x
			}
			return nil
		default:
			return nil
		}
	}
}

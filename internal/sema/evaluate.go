package sema

import (
	"errors"
	"fmt"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/plugin"
	"github.com/huntql/huntql/internal/schema"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// evaluate binds in | evaluate Plugin(Args) [: Schema]; in is nil when
// evaluate starts the query, which no plugin huntql runs accepts.
func (a *analyzer) evaluate(sc *scope, in plan.Node, op *syntax.EvaluateOp) plan.Node {
	if op.Call == nil {
		return nil // the parser reported it
	}
	name := op.Call.Fun.Name
	p, ok := plugin.Lookup(name)
	if !ok || p.Builtin {
		msg := fmt.Sprintf("unknown plugin %s", name)
		if c := closest(name, plugin.Names()); c != "" {
			msg += fmt.Sprintf("; did you mean %s?", c)
		}
		a.errs.Add(op.Call.Fun.Span(), "%s", msg)
		return nil
	}
	if p.External {
		a.errorf(op.Call.Fun, "plugin %s is %s", name, plugin.ErrExternal)
		return nil
	}
	if p.Unsupported != "" {
		a.errorf(op.Call.Fun, "plugin %s is not supported yet: %s", name, p.Unsupported)
		return nil
	}
	if in == nil {
		a.errorf(op, "evaluate %s needs an input table, as in T | evaluate %s(...)", name, name)
		return nil
	}
	var out *plugin.OutSchema
	if op.Schema != nil {
		out = &plugin.OutSchema{Star: op.Schema.Star}
		for _, c := range op.Schema.Columns {
			out.Cols = append(out.Cols, column.Field{Name: c.Name.Name, Type: c.Type.Scalar})
		}
	}
	if name == "preview" {
		// preview returns two tables: the first rows, and the row count.
		in = &plan.Materialize{Input: in}
		rows := a.callPlugin(sc, in, in.Schema(), p, op.Call, out, nil)
		if rows == nil {
			return nil
		}
		count := &plan.Count{Input: in, Out: column.Schema{{Name: "Count", Type: types.Long}}}
		return &plan.Tables{Names: []string{"Table1", "Table2"}, Ins: []plan.Node{rows, count}}
	}
	if name == "funnel_sequence" {
		// funnel_sequence returns three tables: by the states before and
		// after the sequence, by the state before, by the state after.
		in = &plan.Materialize{Input: in}
		t := &plan.Tables{}
		for k := int64(1); k <= 3; k++ {
			which := []plan.PluginArg{{Name: "$table", Expr: &plan.Const{Value: k, T: types.Long}}}
			n := a.callPlugin(sc, in, in.Schema(), p, op.Call, out, which)
			if n == nil {
				return nil
			}
			t.Names = append(t.Names, fmt.Sprintf("Table%d", k))
			t.Ins = append(t.Ins, n)
		}
		return t
	}
	n := a.callPlugin(sc, in, in.Schema(), p, op.Call, out, nil)
	ev, ok := n.(*plan.Evaluate)
	if !ok || !ev.Open {
		return n
	}
	// A probe run found the columns: fix them, so that later operators
	// may name them; the known columns lead the found ones.
	if cols, found := a.opts.Columns[op]; found && hasPrefix(cols, ev.Out) {
		ev.Out, ev.Open = cols, false
		return ev
	}
	a.open = append(a.open, OpenPlugin{Op: op, Plan: ev})
	return ev
}

// hasPrefix reports whether s starts with the columns of prefix.
func hasPrefix(s, prefix column.Schema) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i, f := range prefix {
		if s[i] != f {
			return false
		}
	}
	return true
}

// callPlugin binds the arguments of a call of plugin p over the rows of in
// and returns the Evaluate node.
func (a *analyzer) callPlugin(sc *scope, in plan.Node, row column.Schema, p *plugin.Plugin,
	call *syntax.CallExpr, out *plugin.OutSchema, extra []plan.PluginArg,
) plan.Node {
	n := &plan.Evaluate{Input: in, Plugin: p.Name}
	ok := true
	for _, x := range call.Args {
		var parg plan.PluginArg
		if na, isNamed := x.(*syntax.NamedArg); isNamed {
			parg.Name, x = na.Name.Name, na.Value
		}
		switch {
		case a.isUnbound(sc, row, x):
			parg.Ident = x.(*syntax.Ident).Name
		case a.isTabular(sc, x):
			parg.Table = a.tabular(sc, x)
			ok = ok && parg.Table != nil
		case isAggCall(sc, x):
			parg.Agg = a.pluginAgg(sc, row, unparen(x).(*syntax.CallExpr))
			ok = ok && parg.Agg != nil
		default:
			parg.Expr = a.scalar(sc, row, x)
			ok = ok && parg.Expr != nil
		}
		n.Args = append(n.Args, parg)
	}
	if !ok {
		return nil
	}
	n.Args = append(n.Args, extra...)
	b := plugin.NewBinding(row, n.Args, out)
	bound, err := p.Bind(b)
	if err != nil {
		var ae *plugin.ArgError
		if errors.As(err, &ae) && ae.Arg >= 0 && ae.Arg < len(call.Args) {
			if n.Args[ae.Arg].Ident != "" && strings.HasPrefix(ae.Msg, "expected") {
				// The plugin wanted something else than a name it cannot
				// resolve: the name is the fault.
				a.unknownColumn(unnamed(call.Args[ae.Arg]), row)
				return nil
			}
			a.errorf(call.Args[ae.Arg], "%s(): %s", p.Name, ae.Msg)
		} else {
			a.errorf(call, "%s(): %s", p.Name, err.Error())
		}
		return nil
	}
	n.Out, n.Open = bound.Out, bound.Open
	return n
}

// isUnbound reports whether e is a bare name that names no column of row,
// nothing in scope and no table.
func (a *analyzer) isUnbound(sc *scope, row column.Schema, e syntax.Expr) bool {
	id, ok := e.(*syntax.Ident)
	if !ok || row.Index(id.Name) >= 0 || sc.lookup(id.Name) != nil {
		return false
	}
	if _, isTable := a.cat.Table(id.Name); isTable {
		return false
	}
	_, isFunc := functions.LookupScalar(id.Name)
	return !isFunc
}

// isAggCall reports whether e calls an aggregate function (not shadowed by
// a let binding), as pivot's aggregation argument does.
func isAggCall(sc *scope, e syntax.Expr) bool {
	c, ok := unparen(e).(*syntax.CallExpr)
	if !ok || sc.lookup(c.Fun.Name) != nil {
		return false
	}
	_, ok = functions.LookupAggregate(c.Fun.Name)
	return ok
}

// pluginAgg binds an aggregate call given to a plugin.
func (a *analyzer) pluginAgg(sc *scope, row column.Schema, call *syntax.CallExpr) *plan.AggCall {
	fn, _ := functions.LookupAggregate(call.Fun.Name)
	var args []syntax.Expr
	for _, x := range call.Args {
		if _, star := x.(*syntax.StarExpr); star && call.Fun.Name == "count" {
			continue
		}
		args = append(args, x)
	}
	exprs, argTypes, ok := a.args(sc, row, args)
	if !ok {
		return nil
	}
	if len(exprs) < fn.MinArgs || (fn.MaxArgs >= 0 && len(exprs) > fn.MaxArgs) {
		a.errorf(call, "%s() expects %s, found %d", call.Fun.Name,
			arity(fn.MinArgs, fn.MaxArgs), len(exprs))
		return nil
	}
	outTypes, err := fn.Result(argTypes)
	if err != nil {
		a.errorf(call, "%s(): %v", call.Fun.Name, err)
		return nil
	}
	if len(outTypes) != 1 {
		a.errorf(call, "%s() yields %d columns; a plugin needs an aggregate with one",
			call.Fun.Name, len(outTypes))
		return nil
	}
	return &plan.AggCall{Name: call.Fun.Name, Args: exprs,
		Out: column.Schema{{Name: aggName(call), Type: outTypes[0]}}}
}

// invoke binds in | invoke F(Args): a call of the user-defined tabular
// function F with in as its first (tabular) argument, or of a data-backed
// built-in taking the input table, such as Defender's FileProfile.
func (a *analyzer) invoke(sc *scope, in plan.Node, op *syntax.InvokeOp) plan.Node {
	if op.Call == nil {
		return nil // the parser reported it
	}
	name := op.Call.Fun.Name
	b := sc.lookup(name)
	if b == nil {
		if p, ok := plugin.Lookup(name); ok && p.Builtin {
			return a.builtin(sc, in, op.Call, p)
		}
		msg := fmt.Sprintf("unknown function %s", name)
		if c := closest(name, sc.all()); c != "" {
			msg += fmt.Sprintf("; did you mean %s?", c)
		}
		a.errs.Add(op.Call.Fun.Span(), "%s", msg)
		return nil
	}
	if b.kind != bindFunction {
		a.errorf(op.Call.Fun, "invoke expects a function, found %s", name)
		return nil
	}
	if len(b.fn.Params) == 0 || b.fn.Params[0].Type == nil || b.fn.Params[0].Type.Name != "" {
		a.errorf(op.Call.Fun, "invoke expects a function whose first parameter is a table, "+
			"as in (T:(*)), but %s's is not", name)
		return nil
	}
	schema := in.Schema()
	for _, c := range b.fn.Params[0].Type.Columns {
		i := schema.Index(c.Name.Name)
		if i < 0 {
			a.errorf(op.Call.Fun, "invoke %s: the input has no column %s, which the function's "+
				"first parameter requires", name, c.Name.Name)
			return nil
		}
		if t := c.Type.Scalar; t != schema[i].Type && t != types.Unknown {
			a.errorf(op.Call.Fun, "invoke %s: column %s is %s, but the function's first "+
				"parameter requires %s", name, c.Name.Name, schema[i].Type, t)
			return nil
		}
	}
	required := 0
	for _, p := range b.fn.Params[1:] {
		if p.Default == nil {
			required++
		}
	}
	if n := len(op.Call.Args); n < required || n > len(b.fn.Params)-1 {
		a.errorf(op.Call, "invoke %s expects %d to %d arguments after the input table, "+
			"found %d", name, required, len(b.fn.Params)-1, n)
		return nil
	}
	// The input enters the call as a name bound in a scope of its own.
	const inputName = "$invoke_input"
	callScope := newScope(sc)
	callScope.names[inputName] = &binding{kind: bindTabular, tab: in}
	call := &syntax.CallExpr{At: op.Call.At, Fun: op.Call.Fun,
		Args: append([]syntax.Expr{&syntax.Ident{At: op.Call.At, Name: inputName}},
			op.Call.Args...)}
	res, bodyScope := a.inline(callScope, nil, call, b)
	if res == nil {
		return nil
	}
	a.depth++
	defer func() { a.depth-- }()
	return a.tabular(bodyScope, res)
}

// builtinFunc returns the data-backed built-in function call e names, if
// it names one that a let binding does not shadow.
func builtinFunc(sc *scope, e syntax.Expr) (*plugin.Plugin, bool) {
	c, ok := unparen(e).(*syntax.CallExpr)
	if !ok || sc.lookup(c.Fun.Name) != nil {
		return nil, false
	}
	p, ok := plugin.Lookup(c.Fun.Name)
	return p, ok && p.Builtin
}

// builtin binds a call of a data-backed built-in function such as
// DeviceFromIP or _GetWatchlist, invoked on in (nil when called as a
// table): the tables it reads become extra tabular arguments.
func (a *analyzer) builtin(sc *scope, in plan.Node, call *syntax.CallExpr,
	p *plugin.Plugin,
) plan.Node {
	var extra []plan.PluginArg
	for _, r := range p.Reads {
		full, _ := a.cat.Table(r.Table)
		var cols column.Schema
		for _, name := range r.Columns {
			if i := full.Index(name); i >= 0 {
				cols = append(cols, full[i])
			}
		}
		extra = append(extra, plan.PluginArg{Name: "$" + r.Table,
			Table: &plan.Scan{Table: r.Table, Columns: cols}})
	}
	if p.Name == "_GetWatchlist" {
		alias, ok := stringLiteral(call)
		if !ok {
			a.errorf(call, "_GetWatchlist expects a constant watchlist alias, "+
				"as in _GetWatchlist('HighValueAssets')")
			return nil
		}
		table := schema.WatchlistTable(alias)
		cols, found := a.cat.Table(table)
		if !found {
			a.errorf(call, "no watchlist %s in the data: put its rows in %s.watchlist.csv "+
				"or watchlists/%s.csv under --data", alias, alias, alias)
			return nil
		}
		extra = append(extra, plan.PluginArg{Name: "$watchlist",
			Table: &plan.Scan{Table: table, Columns: cols}})
	}
	var row column.Schema
	if in != nil {
		row = in.Schema()
	}
	return a.callPlugin(sc, in, row, p, call, nil, extra)
}

// stringLiteral returns the single string literal argument of call.
func stringLiteral(call *syntax.CallExpr) (string, bool) {
	if len(call.Args) != 1 {
		return "", false
	}
	lit, ok := unparen(call.Args[0]).(*syntax.Literal)
	if !ok {
		return "", false
	}
	s, ok := lit.Value.(string)
	return s, ok
}

// unnamed returns the value of a name=value argument, or the argument.
func unnamed(e syntax.Expr) syntax.Expr {
	if na, ok := e.(*syntax.NamedArg); ok {
		return na.Value
	}
	return e
}

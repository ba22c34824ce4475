package sema

import (
	"fmt"
	"regexp"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// scalar binds a scalar expression evaluated over rows of schema row (nil
// when there is no row, as in a let statement). It returns nil after
// reporting an error.
func (a *analyzer) scalar(sc *scope, row column.Schema, e syntax.Expr) plan.Expr {
	if a.gctx != nil {
		if x, ok := a.graphExpr(sc, row, e); ok {
			return x
		}
	}
	switch e := e.(type) {
	case *syntax.ParenExpr:
		return a.scalar(sc, row, e.X)
	case *syntax.Literal:
		return &plan.Const{Value: e.Value, T: e.Type}
	case *syntax.Ident:
		return a.name(sc, row, e)
	case *syntax.UnaryExpr:
		x := a.scalar(sc, row, e.X)
		if x == nil {
			return nil
		}
		if e.Op == "+" {
			return x
		}
		if t := x.Type(); !t.IsNumeric() && t != types.Timespan && t != types.Dynamic &&
			t != types.Unknown {
			a.errorf(e, "unary minus expects a number or timespan, found %s", t)
			return nil
		}
		if c, ok := x.(*plan.Const); ok {
			if v, ok := negate(c.Value); ok {
				return &plan.Const{Value: v, T: c.T}
			}
		}
		return &plan.Neg{X: x}
	case *syntax.BinaryExpr:
		if _, star := e.X.(*syntax.StarExpr); star && e.Op != "and" && e.Op != "or" {
			// * has "term": the operator over every column of the row.
			return a.scalar(sc, row, starPredicate(e, row))
		}
		return a.binary(sc, row, e)
	case *syntax.InExpr:
		return a.in(sc, row, e)
	case *syntax.BetweenExpr:
		x, lo, hi := a.scalar(sc, row, e.X), a.scalar(sc, row, e.Lo), a.scalar(sc, row, e.Hi)
		if x == nil || lo == nil || hi == nil {
			return nil
		}
		return &plan.Between{X: x, Lo: lo, Hi: hi, Not: e.Not}
	case *syntax.CallExpr:
		return a.call(sc, row, e)
	case *syntax.MemberExpr:
		// Step.Column reads a scan step's state (see scanOp).
		if id, ok := e.X.(*syntax.Ident); ok && row.Index(id.Name) < 0 {
			name := id.Name + "." + e.Name.Name
			if i := row.Index(name); i >= 0 {
				return &plan.ColRef{Index: i, Name: name, T: row[i].Type}
			}
		}
		x := a.scalar(sc, row, e.X)
		if x == nil {
			return nil
		}
		if t := x.Type(); t != types.Dynamic && t != types.Unknown {
			a.errorf(e.Name, "member access .%s expects a dynamic value, found %s", e.Name.Name, t)
			return nil
		}
		return &plan.Member{X: x, Key: e.Name.Name}
	case *syntax.IndexExpr:
		x, idx := a.scalar(sc, row, e.X), a.scalar(sc, row, e.Index)
		if x == nil || idx == nil {
			return nil
		}
		if t := x.Type(); t != types.Dynamic && t != types.Unknown {
			a.errorf(e, "indexing expects a dynamic value, found %s", t)
			return nil
		}
		if c, ok := idx.(*plan.Const); ok {
			if s, ok := c.Value.(string); ok {
				return &plan.Member{X: x, Key: s}
			}
		}
		return &plan.Index{X: x, Idx: idx}
	case *syntax.NamedArg:
		// A name inside an expression names its column, as in
		// summarize by bin(Hour = Timestamp, 1h); the value is the expression.
		return a.scalar(sc, row, e.Value)
	case *syntax.StarExpr:
		a.errorf(e, "* is only allowed as an argument of an aggregate such as arg_max")
		return nil
	case *syntax.Pipeline:
		a.errorf(e, "expected a scalar expression, found a tabular expression; "+
			"use toscalar() to turn a table into a value")
		return nil
	}
	if _, bad := e.(*syntax.BadExpr); bad {
		return nil // the parser reported it
	}
	a.errorf(e, "expected a scalar expression, found %s", describeExpr(e))
	return nil
}

// describeExpr names a kind of expression for error messages.
func describeExpr(e syntax.Expr) string {
	switch e := e.(type) {
	case *syntax.Pattern:
		return fmt.Sprintf("the name pattern %s", e.Text)
	case *syntax.FuncLit:
		return "a function definition"
	case *syntax.TypeOfExpr:
		return "a typeof() type"
	case *syntax.MethodCallExpr:
		return "a cluster() or database() reference"
	case *syntax.ListExpr:
		return "a list of values"
	}
	return "an expression of another kind"
}

func negate(v any) (any, bool) {
	switch x := v.(type) {
	case int64:
		return -x, true
	case int32:
		return -x, true
	case float64:
		return -x, true
	case types.Duration:
		return -x, true
	}
	return nil, false
}

// name resolves an identifier in scalar position: a column of the row, then
// a let-bound scalar.
func (a *analyzer) name(sc *scope, row column.Schema, id *syntax.Ident) plan.Expr {
	if i := row.Index(id.Name); i >= 0 {
		return &plan.ColRef{Index: i, Name: id.Name, T: row[i].Type}
	}
	if b := sc.lookup(id.Name); b != nil {
		switch b.kind {
		case bindScalar:
			return b.scalar
		case bindTabular:
			if b.key {
				return &plan.Scalar{Sub: b.tab, T: b.tab.Schema()[0].Type}
			}
			a.errorf(id, "expected a scalar, found table %s; use toscalar(%s) for its value",
				id.Name, id.Name)
			return nil
		case bindFunction:
			if len(b.fn.Params) == 0 {
				return a.call(sc, row, &syntax.CallExpr{At: id.At, Fun: id})
			}
			a.errorf(id, "function %s needs arguments", id.Name)
			return nil
		}
	}
	candidates := sc.all()
	for _, f := range row {
		candidates = append(candidates, f.Name)
	}
	msg := fmt.Sprintf("unknown column or name %s", id.Name)
	if c := closest(id.Name, candidates); c != "" {
		msg += fmt.Sprintf("; did you mean %s?", c)
	}
	a.errs.Add(id.Span(), "%s", msg)
	return nil
}

func (a *analyzer) binary(sc *scope, row column.Schema, e *syntax.BinaryExpr) plan.Expr {
	l, r := a.scalar(sc, row, e.X), a.scalar(sc, row, e.Y)
	if l == nil || r == nil {
		return nil
	}
	op, ok := functions.LookupBinary(e.Op)
	if !ok {
		a.errs.Add(e.OpSpan, "operator %s is not supported yet", e.Op)
		return nil
	}
	t, err := op.Result(l.Type(), r.Type())
	if err != nil {
		a.errs.Add(e.OpSpan, "%v", err)
		return nil
	}
	return &plan.Binary{Op: e.Op, Fn: op, L: l, R: r, T: t}
}

func (a *analyzer) in(sc *scope, row column.Schema, e *syntax.InExpr) plan.Expr {
	x := a.scalar(sc, row, e.X)
	if x == nil {
		return nil
	}
	switch e.Op {
	case "in~", "!in~", "has_any", "has_all":
		// Like Kusto, these compare text: the value tested must be a string
		// (or dynamic); the list may hold anything.
		if t := x.Type(); t != types.String && t != types.Dynamic && t != types.Unknown {
			a.errorf(e.X, "%s expects a string or dynamic value on its left, found %s", e.Op, t)
			return nil
		}
	}
	if len(e.List) == 1 && a.isTabular(sc, e.List[0]) {
		sub := a.tabular(sc, e.List[0])
		if sub == nil {
			return nil
		}
		if len(sub.Schema()) == 0 {
			a.errorf(e.List[0], "%s expects a table with at least one column", e.Op)
			return nil
		}
		return &plan.In{Op: e.Op, X: x, Sub: sub}
	}
	list := make([]plan.Expr, 0, len(e.List))
	for _, item := range e.List {
		if a.isTabular(sc, item) {
			a.errorf(item, "%s expects one table or a list of scalars, not both", e.Op)
			return nil
		}
		v := a.scalar(sc, row, item)
		if v == nil {
			return nil
		}
		list = append(list, v)
	}
	return &plan.In{Op: e.Op, X: x, List: list}
}

// specialFunctions are the scalar functions that call handles itself
// rather than through the function registry, because they take a tabular
// argument, a column name or the whole row.
var specialFunctions = []string{"pack_all", "toscalar", "table", "bin_auto",
	"bag_pack_columns", "column_ifexists", "columnifexists", "column_names_of",
	// The graph functions of graph-match and graph-shortest-paths.
	"all", "any", "map", "inner_nodes", "labels", "node_id", "node_degree_in",
	"node_degree_out"}

// call binds a call of a scalar function or user function. Aggregates are
// bound by summarize; here they are an error.
func (a *analyzer) call(sc *scope, row column.Schema, e *syntax.CallExpr) plan.Expr {
	name := e.Fun.Name
	if name == "toscalar" && sc.lookup(name) == nil {
		return a.toscalar(sc, e)
	}
	if name == "pack_all" && sc.lookup(name) == nil {
		return a.packAll(sc, row, e)
	}
	if name == "bin_auto" && sc.lookup(name) == nil {
		return a.binAutoCall(sc, row, e)
	}
	if schemaFuncs[name] && sc.lookup(name) == nil {
		return a.schemaCall(sc, row, e)
	}
	if a.unavailable(sc, e) {
		return nil
	}
	if _, ok := windowFuncs[name]; ok && sc.lookup(name) == nil {
		return a.windowCall(sc, row, e)
	}
	if b := sc.lookup(name); b != nil && b.kind == bindFunction {
		res, bodyScope := a.inline(sc, row, e, b)
		if res == nil {
			return nil
		}
		a.depth++
		defer func() { a.depth-- }()
		return a.scalar(bodyScope, row, res)
	}
	fn, ok := functions.LookupScalar(name)
	if !ok {
		if _, isAgg := functions.LookupAggregate(name); isAgg {
			a.errorf(e.Fun, "aggregate %s() is only allowed in summarize", name)
			return nil
		}
		msg := fmt.Sprintf("unknown function %s", name)
		cands := append(functions.ScalarNames(), sc.all()...)
		if c := closest(name, cands); c != "" {
			msg += fmt.Sprintf("; did you mean %s?", c)
		}
		a.errs.Add(e.Fun.Span(), "%s", msg)
		return nil
	}
	args, argTypes, ok := a.args(sc, row, e.Args)
	if !ok {
		return nil
	}
	if len(args) < fn.MinArgs || (fn.MaxArgs >= 0 && len(args) > fn.MaxArgs) {
		a.errorf(e, "%s() expects %s, found %d", name, arity(fn.MinArgs, fn.MaxArgs), len(args))
		return nil
	}
	t, err := fn.Result(argTypes)
	if err != nil {
		if msg := err.Error(); leadingCall.MatchString(msg) {
			// The message names the function already, perhaps by the name an
			// alias stands for: name it as the query does.
			a.errorf(e, "%s", leadingCall.ReplaceAllLiteralString(msg, name+"("))
		} else {
			a.errorf(e, "%s(): %v", name, err)
		}
		return nil
	}
	if !a.checkConstChoice(name, e, args) || !a.checkConstShapes(name, e, args) {
		return nil
	}
	if parseJSONNames[name] && len(args) == 1 && argTypes[0] == types.Dynamic {
		// "If json is of type dynamic, its value is used as-is": a dynamic
		// string that holds JSON text stays a string.
		return args[0]
	}
	return &plan.Call{Name: name, Fn: fn, Args: args, T: t}
}

// parseJSONNames are parse_json() and its deprecated aliases.
var parseJSONNames = map[string]bool{
	"parse_json": true, "parsejson": true, "todynamic": true, "toobject": true,
}

// leadingCall matches the function name that starts a type-check message.
var leadingCall = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*\(`)

// args binds call arguments. A typeof(T) argument becomes a constant holding
// the types.Type, as extract() and friends expect.
func (a *analyzer) args(sc *scope, row column.Schema, in []syntax.Expr,
) ([]plan.Expr, []types.Type, bool) {
	args := make([]plan.Expr, 0, len(in))
	argTypes := make([]types.Type, 0, len(in))
	ok := true
	for _, x := range in {
		if to, isType := x.(*syntax.TypeOfExpr); isType {
			args = append(args, &plan.Const{Value: to.Type.Scalar, T: types.Unknown})
			argTypes = append(argTypes, to.Type.Scalar)
			continue
		}
		v := a.scalar(sc, row, x)
		if v == nil {
			ok = false
			continue
		}
		args = append(args, v)
		argTypes = append(argTypes, v.Type())
	}
	return args, argTypes, ok
}

func arity(min, max int) string {
	switch {
	case min == max && min == 1:
		return "1 argument"
	case min == max:
		return fmt.Sprintf("%d arguments", min)
	case max < 0 && min == 1:
		return "at least 1 argument"
	case max < 0:
		return fmt.Sprintf("at least %d arguments", min)
	}
	return fmt.Sprintf("%d to %d arguments", min, max)
}

// toscalar binds toscalar(T): the first column of T's first row.
func (a *analyzer) toscalar(sc *scope, e *syntax.CallExpr) plan.Expr {
	if len(e.Args) != 1 {
		a.errorf(e, "toscalar() expects 1 argument, found %d", len(e.Args))
		return nil
	}
	if !a.isTabular(sc, e.Args[0]) {
		x := a.scalar(sc, nil, e.Args[0])
		if x == nil || !volatileRowFree(x) {
			return x // toscalar of a scalar is the scalar itself
		}
		return a.onceScalar(e, x)
	}
	sub := a.tabular(sc, e.Args[0])
	if sub == nil {
		return nil
	}
	s := sub.Schema()
	if len(s) == 0 {
		a.errorf(e, "toscalar() expects a table with at least one column")
		return nil
	}
	return &plan.Scalar{Sub: sub, T: s[0].Type}
}

// onceScalar binds toscalar(x) for an x that calls a volatile function
// (rand, new_guid) and reads no row: Kusto computes it once, so every use
// of the call, including the copies made when a user function is inlined
// at several call sites, reads the same value (the named-expressions page:
// let y = () {toscalar(rand(1000))}; print y, y shows one number twice).
// The copies share one materialized one-row table; calls that differ in
// their bound arguments have different texts and are computed apart.
func (a *analyzer) onceScalar(e *syntax.CallExpr, x plan.Expr) plan.Expr {
	key := onceKey{call: e, text: x.String()}
	m, ok := a.once[key]
	if !ok {
		row := &plan.Values{Out: column.Schema{{Name: "print_0", Type: x.Type()}},
			Rows: [][]plan.Expr{{x}}}
		m = &plan.Materialize{Input: row}
		if a.once == nil {
			a.once = map[onceKey]*plan.Materialize{}
		}
		a.once[key] = m
	}
	return &plan.Scalar{Sub: m, T: x.Type()}
}

// onceKey names a toscalar() call site and the text of its bound argument.
type onceKey struct {
	call *syntax.CallExpr
	text string
}

// volatileRowFree reports whether x calls a volatile function and is made
// only of constants, calls and operators, so that its text says all it
// computes (no row columns, no subqueries).
func volatileRowFree(x plan.Expr) bool {
	volatile := false
	var free func(plan.Expr) bool
	all := func(es ...plan.Expr) bool {
		for _, e := range es {
			if !free(e) {
				return false
			}
		}
		return true
	}
	free = func(x plan.Expr) bool {
		switch x := x.(type) {
		case *plan.Const:
			return true
		case *plan.Call:
			if x.Fn != nil && x.Fn.Volatile {
				volatile = true
			}
			return all(x.Args...)
		case *plan.Binary:
			return all(x.L, x.R)
		case *plan.Between:
			return all(x.X, x.Lo, x.Hi)
		case *plan.In:
			return x.Sub == nil && all(x.X) && all(x.List...)
		case *plan.Member:
			return all(x.X)
		case *plan.Index:
			return all(x.X, x.Idx)
		case *plan.Neg:
			return all(x.X)
		}
		return false
	}
	return free(x) && volatile
}

// packAll binds pack_all(): a property bag of every column of the row,
// built as bag_pack("Col1", Col1, "Col2", Col2, ...).
func (a *analyzer) packAll(sc *scope, row column.Schema, e *syntax.CallExpr) plan.Expr {
	fn, ok := functions.LookupScalar("pack_all")
	if !ok {
		a.errorf(e, "pack_all() is not supported yet")
		return nil
	}
	if len(e.Args) > 1 {
		a.errorf(e, "pack_all() expects at most 1 argument, found %d", len(e.Args))
		return nil
	}
	// The first argument of the plan call is ignore_null_empty, then
	// name-value pairs for every column.
	var ignore plan.Expr = &plan.Const{Value: false, T: types.Bool}
	if len(e.Args) == 1 {
		if ignore = a.scalar(sc, row, e.Args[0]); ignore == nil {
			return nil
		}
		if ignore.Type() != types.Bool {
			a.errorf(e.Args[0], "pack_all() expects a bool ignore_null_empty, found %s",
				ignore.Type())
			return nil
		}
	}
	args := make([]plan.Expr, 0, 1+2*len(row))
	args = append(args, ignore)
	for i, f := range row {
		args = append(args, &plan.Const{Value: f.Name, T: types.String},
			&plan.ColRef{Index: i, Name: f.Name, T: f.Type})
	}
	return &plan.Call{Name: "pack_all", Fn: fn, Args: args, T: types.Dynamic}
}

// binAutoCall binds bin_auto(value): bin(value, size), or bin_at(value,
// size, at), with size and at from the query's set query_bin_auto_size and
// query_bin_auto_at statements.
func (a *analyzer) binAutoCall(sc *scope, row column.Schema, e *syntax.CallExpr) plan.Expr {
	if len(e.Args) != 1 {
		a.errorf(e, "bin_auto() expects 1 argument, found %d", len(e.Args))
		return nil
	}
	size := a.binAuto["query_bin_auto_size"]
	if size == nil {
		a.errorf(e, "bin_auto() needs the bin size: start the query with set query_bin_auto_size=...;")
		return nil
	}
	call := &syntax.CallExpr{At: e.At, Fun: &syntax.Ident{At: e.Fun.At, Name: "bin"},
		Args: []syntax.Expr{e.Args[0], size}}
	if at := a.binAuto["query_bin_auto_at"]; at != nil {
		call.Fun.Name = "bin_at"
		call.Args = append(call.Args, at)
	}
	return a.call(sc, row, call)
}

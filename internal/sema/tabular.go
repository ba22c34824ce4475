package sema

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// maxInlineDepth bounds nested user-function expansion.
const maxInlineDepth = 64

// isTabular reports whether e denotes a table rather than a scalar.
func (a *analyzer) isTabular(sc *scope, e syntax.Expr) bool {
	if _, _, b := patternRef(sc, e); b != nil {
		return true
	}
	switch e := unparen(e).(type) {
	case *syntax.Pipeline:
		return true
	case *syntax.Ident:
		if b := sc.lookup(e.Name); b != nil {
			return b.kind == bindTabular
		}
		_, ok := a.cat.Table(e.Name)
		return ok
	case *syntax.CallExpr:
		switch e.Fun.Name {
		case "materialize", "view", "table":
			return true
		}
		if b := sc.lookup(e.Fun.Name); b != nil && b.kind == bindFunction {
			return a.isTabular(b.fnEnv, b.fn.Body.Result)
		}
		if p, ok := builtinFunc(sc, e); ok && p.Name != "FileProfile" {
			return true
		}
	}
	return false
}

// tabular binds a tabular expression; it returns nil after reporting an error.
func (a *analyzer) tabular(sc *scope, e syntax.Expr) plan.Node {
	if call, path, b := patternRef(sc, e); b != nil {
		return a.pattern(sc, e, call, path, b)
	}
	switch e := e.(type) {
	case *syntax.ParenExpr:
		return a.tabular(sc, e.X)
	case *syntax.Pipeline:
		return a.pipeline(sc, e)
	case *syntax.Ident:
		return a.tableRef(sc, e)
	case *syntax.CallExpr:
		switch e.Fun.Name {
		case "materialize", "view":
			if len(e.Args) != 1 {
				a.errorf(e, "%s expects one tabular argument, found %d arguments",
					e.Fun.Name, len(e.Args))
				return nil
			}
			n := a.tabular(sc, e.Args[0])
			if n == nil || e.Fun.Name == "view" {
				return n
			}
			return &plan.Materialize{Input: n}
		case "table":
			if len(e.Args) >= 1 {
				if lit, ok := e.Args[0].(*syntax.Literal); ok {
					if s, ok := lit.Value.(string); ok {
						return a.tableRef(sc, &syntax.Ident{At: lit.At, Name: s})
					}
				}
				// A let name or a user function's parameter bound to a
				// constant names the table too (the table() page:
				// let foo = (tableName:string) { table(tableName) | count }).
				if id, ok := e.Args[0].(*syntax.Ident); ok && isScalarName(sc, id.Name) {
					if c, ok := a.scalar(sc, nil, id).(*plan.Const); ok {
						if s, ok := c.Value.(string); ok {
							return a.tableRef(sc, &syntax.Ident{At: id.At, Name: s})
						}
					}
				}
			}
			a.errorf(e, "table() expects a constant table name")
			return nil
		}
		if b := sc.lookup(e.Fun.Name); b != nil && b.kind == bindFunction {
			res, bodyScope := a.inline(sc, nil, e, b)
			if res == nil {
				return nil
			}
			return a.inlined(bodyScope, res)
		}
		if p, ok := builtinFunc(sc, e); ok {
			return a.builtin(sc, nil, e, p)
		}
		if a.unavailable(sc, e) {
			return nil
		}
		if _, ok := functions.LookupScalar(e.Fun.Name); ok {
			// Doc pages often show a bare call such as asin(0.5); their
			// "Run the query" links run print(asin(0.5)).
			a.errorf(e.Fun, "expected a table, found a call of scalar function %s(); "+
				"print %s(...) shows its value", e.Fun.Name, e.Fun.Name)
			return nil
		}
		a.errorf(e.Fun, "expected a table, found a call of scalar function %s()", e.Fun.Name)
		return nil
	}
	if root := unavailableRoot(e); root != nil && a.unavailable(sc, root) {
		return nil
	}
	a.errorf(e, "expected a tabular expression, found %s", describe(e))
	return nil
}

// tableRef resolves a name used as a table: a tabular let binding or a
// table of the catalog.
func (a *analyzer) tableRef(sc *scope, id *syntax.Ident) plan.Node {
	if b := sc.lookup(id.Name); b != nil {
		switch b.kind {
		case bindTabular:
			return b.tab
		case bindFunction:
			if len(b.fn.Params) == 0 {
				res, bodyScope := a.inline(sc, nil, &syntax.CallExpr{At: id.At, Fun: id}, b)
				if res == nil {
					return nil
				}
				return a.inlined(bodyScope, res)
			}
			a.errorf(id, "function %s needs %d arguments; call it as %s(...)",
				id.Name, len(b.fn.Params), id.Name)
			return nil
		default:
			a.errorf(id, "expected a table, found scalar %s", id.Name)
			return nil
		}
	}
	s, ok := a.cat.Table(id.Name)
	if !ok {
		msg := fmt.Sprintf("unknown table %s", id.Name)
		if c := closest(id.Name, append(a.cat.Tables(), sc.all()...)); c != "" {
			msg += fmt.Sprintf("; did you mean %s?", c)
		}
		a.errs.Add(id.Span(), "%s", msg)
		return nil
	}
	return &plan.Scan{Table: id.Name, Columns: s}
}

// inlined analyzes the tabular body res of a function call that inline
// expanded, one level deeper, so that a function that names itself (let
// T = () { T }) stops at maxInlineDepth instead of recursing for good.
func (a *analyzer) inlined(body *scope, res syntax.Expr) plan.Node {
	a.depth++
	defer func() { a.depth-- }()
	return a.tabular(body, res)
}

// inline expands a call of user function b: it binds the parameters in a
// new scope under the function's defining scope, binds the body's let
// statements, and returns the body's result expression with that scope.
// row is the caller's row schema, for scalar arguments (nil if none).
func (a *analyzer) inline(sc *scope, row column.Schema, call *syntax.CallExpr,
	b *binding,
) (syntax.Expr, *scope) {
	if a.depth >= maxInlineDepth {
		a.errorf(call, "function %s expands recursively more than %d levels deep",
			call.Fun.Name, maxInlineDepth)
		return nil, nil
	}
	fn := b.fn
	body := newScope(b.fnEnv)
	args := call.Args
	required := 0
	for _, p := range fn.Params {
		if p.Default == nil {
			required++
		}
	}
	if len(args) < required || len(args) > len(fn.Params) {
		a.errorf(call, "function %s expects %d to %d arguments, found %d",
			call.Fun.Name, required, len(fn.Params), len(args))
		return nil, nil
	}
	for i, p := range fn.Params {
		var arg syntax.Expr
		argScope := sc
		if i < len(args) {
			arg = args[i]
		} else {
			arg, argScope = p.Default, b.fnEnv
		}
		if p.Type != nil && p.Type.Name == "" {
			if n := a.tabular(argScope, arg); n != nil {
				body.names[p.Name.Name] = &binding{kind: bindTabular, tab: n}
			}
			continue
		}
		e := a.scalar(argScope, row, arg)
		if e == nil {
			e = &plan.Const{}
		}
		body.names[p.Name.Name] = &binding{kind: bindScalar, scalar: e}
	}
	a.depth++
	for _, st := range fn.Body.Stmts {
		if let, ok := st.(*syntax.LetStmt); ok {
			a.bindLet(body, let)
		}
	}
	a.depth--
	return fn.Body.Result, body
}

// pipeline binds Source | op | op ....
func (a *analyzer) pipeline(sc *scope, p *syntax.Pipeline) plan.Node {
	ops := p.Ops
	var n plan.Node
	if p.Source != nil {
		n = a.tabular(sc, p.Source)
	} else {
		if len(ops) == 0 {
			a.errorf(p, "expected a tabular expression")
			return nil
		}
		n = a.sourceOp(sc, ops[0])
		ops = ops[1:]
	}
	for _, op := range ops {
		if n == nil {
			return nil
		}
		if _, multi := n.(*plan.Tables); multi {
			if _, ok := op.(*syntax.RenderOp); !ok {
				a.errorf(op, "operator %s cannot follow fork or facet, "+
					"which yield several tables", opName(op))
				return nil
			}
		}
		if as, ok := op.(*syntax.AsOp); ok {
			n, sc = a.as(sc, n, as)
			continue
		}
		n = a.operator(sc, n, op)
	}
	return n
}

// as binds T | as Name: the rows pass through, and Name denotes them in
// the rest of the statement (a new scope, so later statements do not see
// it). hint.materialized=true computes them once.
func (a *analyzer) as(sc *scope, in plan.Node, op *syntax.AsOp) (plan.Node, *scope) {
	if !a.checkParams(op.Params, "as") {
		return nil, sc
	}
	if v, p := paramValue(op.Params, "hint.materialized"); p != nil && strings.EqualFold(v, "true") {
		in = &plan.Materialize{Input: in}
	}
	inner := newScope(sc)
	inner.names[op.Name.Name] = &binding{kind: bindTabular, tab: in}
	if a.asNames == nil {
		a.asNames = map[plan.Node]string{}
	}
	a.asNames[in] = op.Name.Name // union withsource names its rows so
	return in, inner
}

// sourceOp binds an operator that starts a pipeline.
func (a *analyzer) sourceOp(sc *scope, op syntax.Operator) plan.Node {
	if !a.checkHints(op) {
		return nil
	}
	switch op := op.(type) {
	case *syntax.PrintOp:
		return a.print(sc, op)
	case *syntax.RangeOp:
		return a.rangeOp(sc, op)
	case *syntax.DatatableOp:
		return a.datatable(sc, op)
	case *syntax.UnionOp:
		return a.union(sc, nil, op)
	case *syntax.ExternalDataOp:
		return a.externalData(sc, op)
	case *syntax.SearchOp:
		return a.search(sc, nil, op)
	case *syntax.FindOp:
		return a.find(sc, op)
	case *syntax.EvaluateOp:
		return a.evaluate(sc, nil, op)
	}
	a.errorf(op, "operator %s cannot start a query here (not supported yet)", opName(op))
	return nil
}

// operator binds one pipeline stage applied to in.
func (a *analyzer) operator(sc *scope, in plan.Node, op syntax.Operator) plan.Node {
	// Window functions are allowed only where windowed enables them, and
	// not in the sub-queries of this operator's expressions.
	saved := a.win
	a.win = nil
	defer func() { a.win = saved }()
	if n, handled := a.graphOperator(sc, in, op); handled {
		return n
	}
	if !a.checkHints(op) {
		return nil
	}
	switch op := op.(type) {
	case *syntax.WhereOp:
		return a.windowed(in, func(in plan.Node) plan.Node { return a.where(sc, in, op) })
	case *syntax.ExtendOp:
		if len(op.Items) == 0 {
			a.errorf(op, "extend expects at least one expression")
			return nil
		}
		return a.windowed(in, func(in plan.Node) plan.Node { return a.extend(sc, in, op.Items) })
	case *syntax.ProjectOp:
		return a.windowed(in, func(in plan.Node) plan.Node { return a.project(sc, in, op.Items) })
	case *syntax.SerializeOp:
		return a.serialize(sc, in, op)
	case *syntax.SampleOp:
		return a.sample(sc, in, op)
	case *syntax.SampleDistinctOp:
		return a.sampleDistinct(sc, in, op)
	case *syntax.GetSchemaOp:
		return a.getschema(in)
	case *syntax.AsOp:
		n, _ := a.as(sc, in, op)
		return n
	case *syntax.ConsumeOp:
		return a.consume(in, op)
	case *syntax.ScanOp:
		return a.scanOp(sc, in, op)
	case *syntax.TopNestedOp:
		return a.topNested(sc, in, op)
	case *syntax.TopHittersOp:
		return a.topHitters(sc, in, op)
	case *syntax.ProjectAwayOp:
		return a.projectAway(in, op.Cols, false)
	case *syntax.ProjectKeepOp:
		return a.projectAway(in, op.Cols, true)
	case *syntax.ProjectRenameOp:
		return a.projectRename(in, op)
	case *syntax.ProjectReorderOp:
		return a.projectReorder(in, op)
	case *syntax.SummarizeOp:
		return a.summarize(sc, in, op)
	case *syntax.SortOp:
		keys := a.sortKeys(sc, in.Schema(), op.Keys)
		if keys == nil {
			return nil
		}
		for i, k := range keys {
			// The sort page: keys are numeric, date, time or string values.
			if k.Expr.Type() == types.Dynamic {
				a.errorf(op.Keys[i].X, "sort expects a key that is not dynamic; convert it, "+
					"as in tostring(%s)", exprText(op.Keys[i].X))
				return nil
			}
		}
		return &plan.Sort{Input: in, Keys: keys}
	case *syntax.TopOp:
		n, count, ok := a.rowCount(sc, op.N, "top")
		keys := a.sortKeys(sc, in.Schema(), []*syntax.SortKey{op.Key})
		if !ok || keys == nil {
			return nil
		}
		return &plan.Top{Input: in, N: n, Keys: keys, Count: count}
	case *syntax.TakeOp:
		n, count, ok := a.rowCount(sc, op.N, "take")
		if !ok {
			return nil
		}
		if s, ok := in.(*plan.Sort); ok {
			// sort by X | take N, as hunting queries often write top N,
			// keeps the first N rows of the sort without sorting them all.
			return &plan.Top{Input: s.Input, N: n, Keys: s.Keys, Count: count}
		}
		return &plan.Limit{Input: in, N: n, Count: count}
	case *syntax.CountOp:
		return &plan.Count{Input: in, Out: column.Schema{{Name: "Count", Type: types.Long}}}
	case *syntax.DistinctOp:
		if !op.Star && len(op.Cols) == 0 {
			a.errorf(op, "distinct expects * or at least one column")
			return nil
		}
		return a.distinct(sc, in, op)
	case *syntax.JoinOp:
		return a.join(sc, in, op.Params, op.Right, op.On, false)
	case *syntax.LookupOp:
		return a.join(sc, in, op.Params, op.Right, op.On, true)
	case *syntax.UnionOp:
		return a.union(sc, in, op)
	case *syntax.MvExpandOp:
		return a.mvExpand(sc, in, op)
	case *syntax.EvaluateOp:
		return a.evaluate(sc, in, op)
	case *syntax.InvokeOp:
		return a.invoke(sc, in, op)
	case *syntax.MakeSeriesOp:
		return a.makeSeries(sc, in, op)
	case *syntax.RenderOp:
		return a.render(in, op)
	case *syntax.SearchOp:
		return a.search(sc, in, op)
	case *syntax.ForkOp:
		return a.fork(sc, in, op)
	case *syntax.FacetOp:
		return a.facet(sc, in, op)
	case *syntax.PartitionOp:
		return a.partition(sc, in, op)
	case *syntax.ParseOp:
		return a.parse(sc, in, op)
	case *syntax.MvApplyOp:
		return a.mvApply(sc, in, op)
	case *syntax.ParseKvOp:
		return a.parseKv(sc, in, op)
	case *syntax.ReduceOp:
		return a.reduce(sc, in, op)
	case *syntax.ProjectByNamesOp:
		return a.projectByNames(sc, in, op)
	}
	a.errorf(op, "operator %s is not supported yet", opName(op))
	return nil
}

// where binds where Pred.
func (a *analyzer) where(sc *scope, in plan.Node, op *syntax.WhereOp) plan.Node {
	pred := a.scalar(sc, in.Schema(), op.Pred)
	if pred == nil {
		return nil
	}
	if t := pred.Type(); t != types.Bool && t != types.Unknown && t != types.Dynamic {
		a.errorf(op.Pred, "where expects a bool predicate, found %s", t)
		return nil
	}
	return &plan.Filter{Input: in, Pred: pred}
}

// opName returns a readable name for an operator node, for messages.
func opName(op syntax.Operator) string {
	switch op := op.(type) {
	case *syntax.RawOp:
		// An operator the parser keeps as text (project-smart, assert-schema,
		// macro-expand, ...) is known by its own name.
		return op.Name
	case *syntax.GetSchemaOp:
		return "getschema"
	case *syntax.ExternalDataOp:
		return "externaldata"
	}
	// MvExpandOp is mv-expand, ProjectAwayOp project-away.
	name := fmt.Sprintf("%T", op)
	name = strings.TrimPrefix(name, "*syntax.")
	name = strings.TrimSuffix(name, "Op")
	var b strings.Builder
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte('-')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// describe names the kind of an expression, for messages.
func describe(e syntax.Expr) string {
	switch e.(type) {
	case *syntax.Literal:
		return "a constant"
	case *syntax.CallExpr:
		return "a function call"
	case *syntax.Ident:
		return "a name"
	}
	return "a scalar expression"
}

// constLong evaluates a constant count such as take's or top's N.
func (a *analyzer) constLong(sc *scope, e syntax.Expr, what string) (int64, bool) {
	x := a.scalar(sc, nil, e)
	if x == nil {
		return 0, false
	}
	if v, ok := foldConst(x); ok {
		switch n := v.(type) {
		case int64:
			return n, true
		case int32:
			return int64(n), true
		}
	}
	a.errorf(e, "%s expects a constant integer count, found %s", what, x.Type())
	return 0, false
}

// rowCount binds take's or top's row count: a constant, or an integer
// expression over no column whose value is known only at run time, such as
// toscalar(T | count), which it returns as count.
func (a *analyzer) rowCount(sc *scope, e syntax.Expr, what string) (int64, plan.Expr, bool) {
	x := a.scalar(sc, nil, e)
	if x == nil {
		return 0, nil, false
	}
	if v, ok := foldConst(x); ok {
		switch n := v.(type) {
		case int64:
			return n, nil, true
		case int32:
			return int64(n), nil, true
		}
	} else if t := x.Type(); t == types.Long || t == types.Int {
		return 0, x, true
	}
	a.errorf(e, "%s expects a constant integer count, found %s", what, x.Type())
	return 0, nil, false
}

// foldConst returns the value of x when it is a constant: a literal, a let
// scalar, or operators and pure functions over constants, as in take 2*5.
// Functions that read the query's clock (now, ago) and volatile ones are
// not folded, since the clock is pinned only at run time.
func foldConst(x plan.Expr) (any, bool) {
	switch e := x.(type) {
	case *plan.Const:
		return e.Value, true
	case *plan.Binary:
		if e.Fn == nil || e.Fn.Eval == nil {
			return nil, false
		}
		l, ok := foldConst(e.L)
		if !ok {
			return nil, false
		}
		r, ok := foldConst(e.R)
		if !ok {
			return nil, false
		}
		return e.Fn.Eval(l, r), true
	case *plan.Call:
		if e.Fn == nil || e.Fn.Eval == nil || e.Fn.Volatile || e.Name == "now" ||
			e.Name == "ago" {
			return nil, false
		}
		args := make([]any, len(e.Args))
		for i, a := range e.Args {
			v, ok := foldConst(a)
			if !ok {
				return nil, false
			}
			args[i] = v
		}
		return e.Fn.Eval(&functions.Context{}, args), true
	case *plan.Neg:
		v, ok := foldConst(e.X)
		if !ok {
			return nil, false
		}
		return negate(v)
	}
	return nil, false
}

// isScalarName reports whether name is bound to a scalar by a let statement
// or a user function's parameter.
func isScalarName(sc *scope, name string) bool {
	b := sc.lookup(name)
	return b != nil && b.kind == bindScalar
}

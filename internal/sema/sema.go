// Package sema is huntql's semantic analysis: it binds the names of a
// parsed query against the table schemas and let statements, types every
// expression with Kusto's rules, names result columns as Kusto does, and
// produces the logical plan (package plan) that an executor runs.
package sema

import (
	"fmt"
	"sort"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
)

// Catalog is what the analyzer knows of the data: the tables a query may name.
type Catalog interface {
	// Table returns the schema of the named table.
	Table(name string) (column.Schema, bool)
	// Tables lists every table name, for suggestions.
	Tables() []string
}

// Query is an analyzed query: the plan of each tabular statement, in order.
// The last one is the query's result.
type Query struct {
	Results []plan.Node
	// Render is the chart the result statement's render operator asks
	// for; nil without one.
	Render *Render
	// Open lists the evaluate operators whose output columns depend on
	// the data and were not given in Options.Columns.
	Open []OpenPlugin
	// Warnings are what analysis tolerated, such as the missing tables of
	// union isfuzzy=true.
	Warnings []string
}

// Result returns the plan of the query's result (the last tabular statement).
func (q *Query) Result() plan.Node {
	if len(q.Results) == 0 {
		return nil
	}
	return q.Results[len(q.Results)-1]
}

// Analyze binds and types script against cat. On failure it returns the
// errors as a syntax.ErrorList.
func Analyze(script *syntax.Script, cat Catalog) (*Query, error) {
	return AnalyzeWith(script, cat, Options{})
}

// Options tune an analysis.
type Options struct {
	// Columns holds, for evaluate operators whose plugin's output columns
	// depend on the data (bag_unpack, pivot), the columns a probe run of
	// the plugin found, so that later operators may name them.
	Columns map[*syntax.EvaluateOp]column.Schema
}

// OpenPlugin is an evaluate operator whose output columns depend on the
// data, with the plan that computes it (which a caller may run to learn
// the columns and analyze again with Options.Columns).
type OpenPlugin struct {
	Op   *syntax.EvaluateOp
	Plan *plan.Evaluate
}

// AnalyzeWith is Analyze with options.
func AnalyzeWith(script *syntax.Script, cat Catalog, opts Options) (*Query, error) {
	a := &analyzer{cat: cat, opts: opts}
	q := &Query{}
	sc := newScope(nil)
	for _, st := range script.Stmts {
		switch st := st.(type) {
		case *syntax.LetStmt:
			a.bindLet(sc, st)
		case *syntax.ExprStmt:
			a.rendered = nil
			if n := a.tabular(sc, st.X); n != nil {
				if _, ok := n.(plan.Graph); ok {
					a.errorf(st.X, "expected a table, found a graph; follow make-graph with "+
						"graph-match, graph-shortest-paths or graph-to-table")
					continue
				}
				q.Results = append(q.Results, n)
				q.Render = a.rendered
			}
		case *syntax.SetStmt:
			// Request properties tune a cluster and change nothing here,
			// except those bin_auto() reads.
			switch st.Name.Name {
			case "query_bin_auto_size", "query_bin_auto_at":
				if a.binAuto == nil {
					a.binAuto = map[string]syntax.Expr{}
				}
				a.binAuto[st.Name.Name] = st.Value
			}
		case *syntax.DeclareStmt:
			for _, p := range st.Params {
				a.bindParam(sc, p)
			}
		case *syntax.PatternStmt:
			sc.names[st.Name.Name] = &binding{kind: bindPattern, pat: st, fnEnv: sc}
		}
	}
	if len(a.errs) == 0 && len(q.Results) == 0 {
		if len(script.Stmts) == 0 {
			a.errs.Add(script.Span(), "expected a query, found nothing")
		} else {
			a.errs.Add(script.Span(), "expected a query after the let statements, found none")
		}
	}
	q.Open = a.open
	if len(a.errs) > 0 {
		a.errs.Sort()
		return q, a.errs
	}
	q.Warnings = a.warnings
	return q, nil
}

// analyzer holds the state of one analysis.
type analyzer struct {
	cat   Catalog
	errs  syntax.ErrorList
	depth int       // user-function inlining depth, to stop runaway recursion
	win   *window   // window functions of the operator being bound; nil where not allowed
	gctx  *graphCtx // the pattern of the graph-match being bound; nil elsewhere
	opts  Options
	open  []OpenPlugin // evaluate operators with data-dependent columns
	// rendered is the render operator met in the statement being bound.
	rendered *Render
	warnings []string
	// binAuto holds the bin_auto() settings of set statements by name.
	binAuto map[string]syntax.Expr
	// asNames holds the names the as operator gave tables, for union withsource.
	asNames map[plan.Node]string
	// once holds the shared computation of each toscalar() of a volatile
	// expression (see onceScalar).
	once map[onceKey]*plan.Materialize
}

// warnf records a warning, once.
func (a *analyzer) warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, w := range a.warnings {
		if w == msg {
			return
		}
	}
	a.warnings = append(a.warnings, msg)
}

func (a *analyzer) errorf(n syntax.Node, format string, args ...any) {
	a.errs.Add(n.Span(), format, args...)
}

// bindingKind tells what a let-bound name denotes.
type bindingKind uint8

const (
	bindScalar bindingKind = iota
	bindTabular
	bindFunction
	bindPattern
)

// binding is what a let statement or function parameter binds a name to.
type binding struct {
	kind   bindingKind
	scalar plan.Expr
	tab    plan.Node
	fn     *syntax.FuncLit
	fnEnv  *scope // the scope the function or pattern was defined in
	pat    *syntax.PatternStmt
	// key marks the partition key inside partition's { subquery }: a
	// one-row table that a bare name in scalar position reads as its value.
	key bool
}

// scope is a chain of let bindings; inner scopes shadow outer ones.
type scope struct {
	parent *scope
	names  map[string]*binding
}

func newScope(parent *scope) *scope {
	return &scope{parent: parent, names: map[string]*binding{}}
}

func (s *scope) lookup(name string) *binding {
	for ; s != nil; s = s.parent {
		if b, ok := s.names[name]; ok {
			return b
		}
	}
	return nil
}

// all returns every name visible in s, for suggestions.
func (s *scope) all() []string {
	var out []string
	for ; s != nil; s = s.parent {
		for n := range s.names {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func (a *analyzer) bindLet(sc *scope, st *syntax.LetStmt) {
	if fn, ok := unparen(st.Value).(*syntax.FuncLit); ok {
		sc.names[st.Name.Name] = &binding{kind: bindFunction, fn: fn, fnEnv: sc}
		return
	}
	if a.isTabular(sc, st.Value) {
		if n := a.tabular(sc, st.Value); n != nil {
			sc.names[st.Name.Name] = &binding{kind: bindTabular, tab: n}
		}
		return
	}
	e := a.scalar(sc, nil, st.Value)
	if e == nil {
		e = &plan.Const{}
	}
	sc.names[st.Name.Name] = &binding{kind: bindScalar, scalar: e}
}

// bindParam binds a declared query parameter to its default, or to a typed
// null when it has none.
func (a *analyzer) bindParam(sc *scope, p *syntax.Param) {
	var e plan.Expr = &plan.Const{T: p.Type.Scalar}
	if p.Default != nil {
		if d := a.scalar(sc, nil, p.Default); d != nil {
			e = d
		}
	}
	sc.names[p.Name.Name] = &binding{kind: bindScalar, scalar: e}
}

func unparen(e syntax.Expr) syntax.Expr {
	for {
		p, ok := e.(*syntax.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

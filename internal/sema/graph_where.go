package sema

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// graphWhere binds graph-match's where clause. Each conjunct that reads
// one pattern variable only becomes a constraint on that variable's
// elements (PatternNode.Where, PatternEdge.Where), which the matcher
// checks while it searches; a conjunct on the properties of a
// variable-length edge holds for each of its edges, as Kusto reads it.
// The other conjuncts stay in the match's Where.
func (a *analyzer) graphWhere(sc *scope, n *plan.GraphMatch, where syntax.Expr) bool {
	gc := a.gctx
	var rest syntax.Expr
	for _, c := range conjuncts(where, nil) {
		if ok, handled := a.pathCondition(sc, n, c); handled {
			if !ok {
				return false
			}
			continue
		}
		refs, others := map[string]bool{}, false
		a.patternRefs(c, refs, &others)
		paths := 0
		for name := range refs {
			if gc.vars[name].variable {
				paths++
			}
		}
		if paths > 0 && (len(refs) > 1 || others) {
			a.errorf(c, "a condition on the properties of a variable-length edge applies to "+
				"each of its edges, so it cannot refer to other pattern variables; "+
				"use all() or any()")
			return false
		}
		if len(refs) != 1 || others {
			if rest == nil {
				rest = c
			} else {
				rest = &syntax.BinaryExpr{At: syntax.At{Sp: syntax.Span{
					Start: rest.Span().Start, End: c.Span().End}}, Op: "and", X: rest, Y: c}
			}
			continue
		}
		var name string
		for name = range refs {
		}
		v := gc.vars[name]
		kind, row := elemNode, gc.g.NodeRow()
		if v.edge {
			kind, row = elemEdge, gc.g.Edges
		}
		x := a.elemExpr(sc, kind, name, row, c)
		if x == nil {
			return false
		}
		if !a.boolCondition(c, x) {
			return false
		}
		if v.edge {
			n.Edges[v.idx].Where = andExpr(n.Edges[v.idx].Where, x)
		} else {
			n.Nodes[v.idx].Where = andExpr(n.Nodes[v.idx].Where, x)
		}
	}
	if rest != nil {
		pred := a.scalar(sc, gc.row, rest)
		if pred == nil || !a.boolCondition(rest, pred) {
			return false
		}
		n.Where = pred
	}
	return true
}

// pathCondition turns a conjunct all(e, cond) into a condition on each
// edge of e, and all(inner_nodes(e), cond) into one on each of its inner
// nodes, so that the matcher prunes paths as it walks them. handled is
// false for any other conjunct.
func (a *analyzer) pathCondition(sc *scope, n *plan.GraphMatch, c syntax.Expr) (ok, handled bool) {
	call, isCall := unparen(c).(*syntax.CallExpr)
	if !isCall || call.Fun.Name != "all" || len(call.Args) != 2 {
		return false, false
	}
	gc := a.gctx
	list, inner := unparen(call.Args[0]), false
	if in, ok := list.(*syntax.CallExpr); ok && in.Fun.Name == "inner_nodes" && len(in.Args) == 1 {
		list, inner = unparen(in.Args[0]), true
	}
	id, isID := list.(*syntax.Ident)
	if !isID {
		return false, false
	}
	v, isVar := gc.vars[id.Name]
	if !isVar || !v.edge || inner && !v.variable {
		return false, false
	}
	var x plan.Expr
	if inner {
		x = a.elemExpr(sc, elemNode, "", gc.g.NodeRow(), call.Args[1])
	} else {
		x = a.elemExpr(sc, elemEdge, id.Name, gc.g.Edges, call.Args[1])
	}
	if x == nil || !a.boolCondition(call.Args[1], x) {
		return false, true
	}
	pe := &n.Edges[v.idx]
	if inner {
		pe.InnerWhere = andExpr(pe.InnerWhere, x)
	} else {
		pe.Where = andExpr(pe.Where, x)
	}
	return true, true
}

// boolCondition reports a where condition that is not a bool.
func (a *analyzer) boolCondition(e syntax.Expr, x plan.Expr) bool {
	if t := x.Type(); t != types.Bool && t != types.Unknown && t != types.Dynamic {
		a.errorf(e, "graph-match expects a bool where clause, found %s", t)
		return false
	}
	return true
}

// andExpr joins two conditions; x may be nil.
func andExpr(x, y plan.Expr) plan.Expr {
	if x == nil {
		return y
	}
	fn, _ := functions.LookupBinary("and")
	return &plan.Binary{Op: "and", Fn: fn, L: x, R: y, T: types.Bool}
}

// conjuncts appends the operands of e's top-level and operators to out.
func conjuncts(e syntax.Expr, out []syntax.Expr) []syntax.Expr {
	if b, ok := unparen(e).(*syntax.BinaryExpr); ok && b.Op == "and" {
		return conjuncts(b.Y, conjuncts(b.X, out))
	}
	return append(out, e)
}

// elemExpr binds e over the element row of pattern variable name, in
// which name.prop reads the element's property.
func (a *analyzer) elemExpr(sc *scope, kind elemKind, name string, row column.Schema,
	e syntax.Expr,
) plan.Expr {
	gc := a.gctx
	saved, savedVar := gc.elem, gc.elemVar
	defer func() { gc.elem, gc.elemVar = saved, savedVar }()
	gc.elem, gc.elemVar = kind, name
	return a.scalar(sc, row, e)
}

// patternRefs collects the pattern variables whose properties e reads
// (v.prop, node_id(v), node_degree_in(v), node_degree_out(v)), outside
// all(), any() and map(); others notes any other use of the pattern: a
// whole variable or the other graph functions.
func (a *analyzer) patternRefs(e syntax.Expr, refs map[string]bool, others *bool) {
	vars := a.gctx.vars
	switch e := e.(type) {
	case *syntax.Ident:
		if _, ok := vars[e.Name]; ok {
			*others = true
		}
	case *syntax.MemberExpr:
		if id, ok := e.X.(*syntax.Ident); ok {
			if _, ok := vars[id.Name]; ok {
				refs[id.Name] = true
				return
			}
		}
		a.patternRefs(e.X, refs, others)
	case *syntax.ParenExpr:
		a.patternRefs(e.X, refs, others)
	case *syntax.UnaryExpr:
		a.patternRefs(e.X, refs, others)
	case *syntax.BinaryExpr:
		a.patternRefs(e.X, refs, others)
		a.patternRefs(e.Y, refs, others)
	case *syntax.InExpr:
		a.patternRefs(e.X, refs, others)
		for _, x := range e.List {
			a.patternRefs(x, refs, others)
		}
	case *syntax.BetweenExpr:
		a.patternRefs(e.X, refs, others)
		a.patternRefs(e.Lo, refs, others)
		a.patternRefs(e.Hi, refs, others)
	case *syntax.IndexExpr:
		a.patternRefs(e.X, refs, others)
		a.patternRefs(e.Index, refs, others)
	case *syntax.CallExpr:
		if _, meta := nodeMetaFuncs[e.Fun.Name]; meta && len(e.Args) == 1 {
			if id, ok := unparen(e.Args[0]).(*syntax.Ident); ok {
				if v, ok := vars[id.Name]; ok && !v.edge {
					refs[id.Name] = true
					return
				}
			}
		}
		if isGraphFunc(e.Fun.Name) {
			*others = true
			return
		}
		for _, x := range e.Args {
			a.patternRefs(x, refs, others)
		}
	}
}

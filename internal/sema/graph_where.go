package sema

import "github.com/huntql/huntql/internal/syntax"

// graphWhere rewrites graph-match's where clause so that a conjunct on the
// properties of a variable-length edge holds for every edge of its path,
// as Kusto reads it: e.w > 1 becomes all(e, e.w > 1). A conjunct mixing
// such an edge with other pattern variables is reported.
func (a *analyzer) graphWhere(e syntax.Expr) (syntax.Expr, bool) {
	if b, ok := unparen(e).(*syntax.BinaryExpr); ok && b.Op == "and" {
		x, okx := a.graphWhere(b.X)
		y, oky := a.graphWhere(b.Y)
		if !okx || !oky {
			return nil, false
		}
		return &syntax.BinaryExpr{At: b.At, Op: b.Op, OpSpan: b.OpSpan, X: x, Y: y}, true
	}
	paths, others := map[string]bool{}, false
	a.patternRefs(e, paths, &others)
	switch {
	case len(paths) == 0:
		return e, true
	case len(paths) > 1 || others:
		a.errorf(e, "a condition on the properties of a variable-length edge applies to "+
			"each of its edges, so it cannot refer to other pattern variables; use all() or any()")
		return nil, false
	}
	var name string
	for name = range paths {
	}
	at := syntax.At{Sp: e.Span()}
	return &syntax.CallExpr{At: at, Fun: &syntax.Ident{At: at, Name: "all"},
		Args: []syntax.Expr{&syntax.Ident{At: at, Name: name}, e}}, true
}

// patternRefs collects the variable-length edges whose properties e reads
// outside all(), any() and map(), and notes in others whether it reads
// any other pattern variable.
func (a *analyzer) patternRefs(e syntax.Expr, paths map[string]bool, others *bool) {
	vars := a.gctx.vars
	switch e := e.(type) {
	case *syntax.Ident:
		if _, ok := vars[e.Name]; ok {
			*others = true
		}
	case *syntax.MemberExpr:
		if id, ok := e.X.(*syntax.Ident); ok {
			if v, ok := vars[id.Name]; ok {
				if v.variable {
					paths[id.Name] = true
				} else {
					*others = true
				}
				return
			}
		}
		a.patternRefs(e.X, paths, others)
	case *syntax.ParenExpr:
		a.patternRefs(e.X, paths, others)
	case *syntax.UnaryExpr:
		a.patternRefs(e.X, paths, others)
	case *syntax.BinaryExpr:
		a.patternRefs(e.X, paths, others)
		a.patternRefs(e.Y, paths, others)
	case *syntax.InExpr:
		a.patternRefs(e.X, paths, others)
		for _, x := range e.List {
			a.patternRefs(x, paths, others)
		}
	case *syntax.BetweenExpr:
		a.patternRefs(e.X, paths, others)
		a.patternRefs(e.Lo, paths, others)
		a.patternRefs(e.Hi, paths, others)
	case *syntax.IndexExpr:
		a.patternRefs(e.X, paths, others)
		a.patternRefs(e.Index, paths, others)
	case *syntax.CallExpr:
		if isGraphFunc(e.Fun.Name) {
			*others = true
			return
		}
		for _, x := range e.Args {
			a.patternRefs(x, paths, others)
		}
	}
}

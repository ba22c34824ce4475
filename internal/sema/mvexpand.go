package sema

import (
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// mvExpand binds mv-expand. An item with an expression other than a plain
// column is first added as a column by a Project; an item named like an
// input column replaces it in place.
func (a *analyzer) mvExpand(sc *scope, in plan.Node, op *syntax.MvExpandOp) plan.Node {
	s := in.Schema()
	exprs := identity(s)
	out := append(column.Schema(nil), s...)
	mv := &plan.MvExpand{}
	for _, p := range op.Params {
		v, _ := paramValue(op.Params, p.Name)
		switch p.Name {
		case "kind", "bagexpansion":
			switch strings.ToLower(v) {
			case "bag":
			case "array":
				mv.BagArray = true
			default:
				a.errorf(p, "mv-expand expects %s=bag or %s=array, found %q", p.Name, p.Name, v)
				return nil
			}
		case "with_itemindex":
			if v == "" {
				a.errorf(p, "mv-expand expects a column name for with_itemindex")
				return nil
			}
			mv.ItemIndex = v
		default:
			a.errorf(p, "unknown mv-expand parameter %s; expected kind, bagexpansion "+
				"or with_itemindex", p.Name)
			return nil
		}
	}
	nm := newNamer(s)
	declared := map[string]bool{}
	for _, it := range op.Items {
		x := a.scalar(sc, s, it.X)
		if x == nil {
			return nil
		}
		if t := x.Type(); t != types.Dynamic && t != types.Unknown {
			a.errorf(it.X, "mv-expand expects a dynamic array or property bag, found %s", t)
			return nil
		}
		name := ""
		if it.Name != nil {
			name = it.Name.Name
		} else if name = exprName(it.X); name == "" || isFunctionCall(it.X) {
			name = nm.column()
		}
		if declared[name] {
			a.errorf(it, "mv-expand expands column %s twice", name)
			return nil
		}
		declared[name] = true
		i := out.Index(name)
		if i < 0 {
			i = len(out)
			nm.used[name] = true
			exprs = append(exprs, x)
			out = append(out, column.Field{Name: name, Type: types.Dynamic})
		} else {
			exprs[i] = x
			out[i] = column.Field{Name: name, Type: x.Type()}
		}
		t := types.Dynamic
		if it.To != nil {
			if it.To.Scalar == types.Unknown {
				a.errorf(it.To, "mv-expand expects a scalar type in typeof(), found a schema")
				return nil
			}
			t = it.To.Scalar
		}
		mv.Cols = append(mv.Cols, i)
		mv.Types = append(mv.Types, t)
	}
	mv.Input = in
	if len(out) != len(s) || !allColRefs(exprs) {
		mv.Input = &plan.Project{Input: in, Exprs: exprs, Out: out}
	}
	final := append(column.Schema(nil), out...)
	for k, c := range mv.Cols {
		final[c].Type = mv.Types[k]
	}
	if mv.ItemIndex != "" {
		mv.ItemIndex = newNamer(final).unique(mv.ItemIndex)
		final = append(final, column.Field{Name: mv.ItemIndex, Type: types.Long})
	}
	if op.Legacy {
		mv.Limit = 128
	}
	if op.Limit != nil {
		n, ok := a.constLong(sc, op.Limit, "mv-expand limit")
		if !ok {
			return nil
		}
		if n < 0 {
			a.errorf(op.Limit, "mv-expand expects a limit of 0 or more, found %d", n)
			return nil
		}
		mv.Limit = n
	}
	mv.Out = final
	return mv
}

// mvApply binds mv-apply: the expansion of one input row, as mv-expand
// would make it, then the sub-pipeline over those rows. The output is the
// input's columns other than those expanded under their own name, then the
// sub-pipeline's columns; a sub-pipeline column named like a kept input
// column replaces it in place.
func (a *analyzer) mvApply(sc *scope, in plan.Node, op *syntax.MvApplyOp) plan.Node {
	for _, p := range op.Params {
		switch p.Name {
		case "with_itemindex", "kind", "bagexpansion":
		default:
			a.errorf(p, "unknown mv-apply parameter %s; expected with_itemindex", p.Name)
			return nil
		}
	}
	s := in.Schema()
	row := &plan.ApplySource{Out: s}
	ex := a.mvExpand(sc, row, &syntax.MvExpandOp{
		At: op.At, Params: op.Params, Items: op.Items, Limit: op.Limit,
	})
	if ex == nil {
		return nil
	}
	mv, ok := ex.(*plan.MvExpand)
	if !ok {
		return nil
	}
	expanded := mv.Schema()
	// An input column expanded without a new name leaves the outer columns;
	// one given a name (even its own) stays, as does a column the
	// expansion's result name shadows.
	dropped := map[string]bool{}
	for _, it := range op.Items {
		id, ok := unparen(it.X).(*syntax.Ident)
		if ok && it.Name == nil && s.Index(id.Name) >= 0 {
			dropped[id.Name] = true
		}
	}
	if op.Body == nil {
		a.errorf(op, "mv-apply expects a sub-query in on (...)")
		return nil
	}
	var body plan.Node = &plan.ApplySource{Out: expanded}
	if op.Body.Source != nil {
		a.errorf(op.Body, "mv-apply's sub-query applies to the expanded rows; "+
			"it must start with an operator, not a table")
		return nil
	}
	if len(op.Body.Ops) > 0 {
		switch o := op.Body.Ops[0].(type) {
		case *syntax.PrintOp, *syntax.RangeOp, *syntax.DatatableOp:
			a.errorf(o, "mv-apply's sub-query applies to the expanded rows; "+
				"it cannot start with %s", opName(o))
			return nil
		}
	}
	for _, o := range op.Body.Ops {
		body = a.operator(sc, body, o)
		if body == nil {
			return nil
		}
	}
	n := &plan.MvApply{Input: in, Expand: mv, Body: body}
	for i, f := range s {
		if !dropped[f.Name] {
			n.Keep = append(n.Keep, i)
			n.Out = append(n.Out, f)
		}
	}
	for _, f := range body.Schema() {
		if j := n.Out.Index(f.Name); j >= 0 {
			n.Out[j] = column.Field{Name: f.Name, Type: f.Type}
			n.Place = append(n.Place, j)
			continue
		}
		n.Place = append(n.Place, len(n.Out))
		n.Out = append(n.Out, f)
	}
	return n
}

// isFunctionCall reports whether e calls a function other than a
// conversion: mv-expand names such an item ColumnN, not fun_arg.
func isFunctionCall(e syntax.Expr) bool {
	c, ok := unparen(e).(*syntax.CallExpr)
	return ok && scalarNames[c.Fun.Name].kind != nameFirstArg
}

// projectByNames keeps the columns named by constant specs, in spec order:
// a name, a wildcard pattern, a dynamic array of names, or
// column_names_of(T). Names of no column are ignored.
func (a *analyzer) projectByNames(sc *scope, in plan.Node, op *syntax.ProjectByNamesOp) plan.Node {
	s := in.Schema()
	taken := make([]bool, len(s))
	var exprs []plan.Expr
	var out column.Schema
	add := func(spec string) {
		for i, f := range s {
			if !taken[i] && (f.Name == spec || strings.Contains(spec, "*") && match(spec, f.Name)) {
				taken[i] = true
				exprs = append(exprs, &plan.ColRef{Index: i, Name: f.Name, T: f.Type})
				out = append(out, f)
			}
		}
	}
	for _, spec := range op.Specs {
		if call, ok := unparen(spec).(*syntax.CallExpr); ok && call.Fun.Name == "column_names_of" {
			if len(call.Args) != 1 || !a.isTabular(sc, call.Args[0]) {
				a.errorf(call, "column_names_of expects one table argument")
				return nil
			}
			t := a.tabular(sc, call.Args[0])
			if t == nil {
				return nil
			}
			for _, f := range t.Schema() {
				add(f.Name)
			}
			continue
		}
		if id, ok := unparen(spec).(*syntax.Ident); ok && s.Index(id.Name) >= 0 &&
			sc.lookup(id.Name) == nil {
			a.errorf(spec, "project-by-names takes column names as strings: write %q, not %s",
				id.Name, id.Name)
			return nil
		}
		x := a.scalar(sc, nil, spec)
		if x == nil {
			return nil
		}
		v, ok := foldConst(x)
		if !ok {
			a.errorf(spec, "project-by-names expects constant column names, found %s", describe(spec))
			return nil
		}
		switch v := v.(type) {
		case string:
			add(v)
		case []any:
			for _, e := range v {
				name, ok := e.(string)
				if !ok {
					a.errorf(spec, "project-by-names expects an array of column name strings")
					return nil
				}
				add(name)
			}
		case nil:
		default:
			a.errorf(spec, "project-by-names expects a column name, pattern or dynamic array "+
				"of names, found %s", x.Type())
			return nil
		}
	}
	return &plan.Project{Input: in, Exprs: exprs, Out: out}
}

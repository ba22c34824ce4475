package sema

import (
	"fmt"
	"path"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// identity returns column references to every column of s.
func identity(s column.Schema) []plan.Expr {
	out := make([]plan.Expr, len(s))
	for i, f := range s {
		out[i] = &plan.ColRef{Index: i, Name: f.Name, T: f.Type}
	}
	return out
}

// extend adds or replaces columns; a replaced column keeps its position.
func (a *analyzer) extend(sc *scope, in plan.Node, items []*syntax.Assign) plan.Node {
	inSchema := in.Schema()
	exprs := identity(inSchema)
	out := append(column.Schema(nil), inSchema...)
	nm := newNamer(inSchema)
	tuples := newTupleCols(in)
	for _, it := range items {
		if call := multiCall(sc, it); call != nil {
			xs, fs, given := a.multiItem(sc, inSchema, it, call, nm, tuples.hold)
			for i, x := range xs {
				if j := out.Index(fs[i].Name); j >= 0 && given[i] {
					exprs[j], out[j] = x, fs[i]
					continue
				}
				exprs, out = append(exprs, x), append(out, fs[i])
			}
			continue
		}
		// Each item sees the columns of the input only, as in Kusto.
		x := a.scalar(sc, inSchema, it.Value)
		if x == nil {
			continue
		}
		if len(it.Names) > 1 {
			a.errorf(it, "extend expects one name per expression, found %d", len(it.Names))
			continue
		}
		name := itemName(it, nm)
		if i := out.Index(name); i >= 0 {
			exprs[i] = x
			out[i] = column.Field{Name: name, Type: x.Type()}
			continue
		}
		nm.used[name] = true
		exprs = append(exprs, x)
		out = append(out, column.Field{Name: name, Type: x.Type()})
	}
	return &plan.Project{Input: tuples.input(), Exprs: exprs, Out: out}
}

// project keeps or computes the listed columns only.
func (a *analyzer) project(sc *scope, in plan.Node, items []*syntax.Assign) plan.Node {
	inSchema := in.Schema()
	var exprs []plan.Expr
	var out column.Schema
	nm := newNamer(nil)
	tuples := newTupleCols(in)
	for _, it := range items {
		if p, ok := it.Value.(*syntax.Pattern); ok && len(it.Names) == 0 {
			for i, f := range inSchema {
				if match(p.Text, f.Name) && out.Index(f.Name) < 0 {
					exprs = append(exprs, &plan.ColRef{Index: i, Name: f.Name, T: f.Type})
					out = append(out, f)
					nm.declare(f.Name, true)
				}
			}
			continue
		}
		if call := multiCall(sc, it); call != nil {
			xs, fs, _ := a.multiItem(sc, inSchema, it, call, nm, tuples.hold)
			for i, x := range xs {
				if out.Index(fs[i].Name) >= 0 {
					a.errorf(it, "column %s is projected twice", fs[i].Name)
					continue
				}
				exprs, out = append(exprs, x), append(out, fs[i])
			}
			continue
		}
		x := a.scalar(sc, inSchema, it.Value)
		if x == nil {
			continue
		}
		name, ok := nm.declare(itemName(it, nm), isExplicit(it))
		if !ok {
			a.errorf(it, "column %s is projected twice", name)
			continue
		}
		exprs = append(exprs, x)
		out = append(out, column.Field{Name: name, Type: x.Type()})
	}
	return &plan.Project{Input: tuples.input(), Exprs: exprs, Out: out}
}

// match reports whether name matches a column pattern with * wildcards.
func match(pattern, name string) bool {
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}

// colPatterns resolves the names and patterns of project-away/keep/reorder
// to input column positions, reporting names that match nothing.
func (a *analyzer) colPatterns(s column.Schema, cols []syntax.Expr) []bool {
	sel := make([]bool, len(s))
	for _, c := range cols {
		found := false
		switch c := c.(type) {
		case *syntax.Ident:
			if i := s.Index(c.Name); i >= 0 {
				sel[i], found = true, true
			}
		case *syntax.Pattern:
			for i, f := range s {
				if match(c.Text, f.Name) {
					sel[i], found = true, true
				}
			}
			found = true // a pattern may match nothing
		}
		if !found {
			a.unknownColumn(c, s)
		}
	}
	return sel
}

func (a *analyzer) unknownColumn(e syntax.Expr, s column.Schema) {
	name := exprName(e)
	names := make([]string, len(s))
	for i, f := range s {
		names[i] = f.Name
	}
	msg := fmt.Sprintf("unknown column %s", name)
	if c := closest(name, names); c != "" {
		msg += fmt.Sprintf("; did you mean %s?", c)
	}
	a.errs.Add(e.Span(), "%s", msg)
}

// projectAway drops (or, with keep, keeps only) the matching columns.
func (a *analyzer) projectAway(in plan.Node, cols []syntax.Expr, keep bool) plan.Node {
	s := in.Schema()
	sel := a.colPatterns(s, cols)
	var exprs []plan.Expr
	var out column.Schema
	for i, f := range s {
		if sel[i] == keep {
			exprs = append(exprs, &plan.ColRef{Index: i, Name: f.Name, T: f.Type})
			out = append(out, f)
		}
	}
	return &plan.Project{Input: in, Exprs: exprs, Out: out}
}

// projectRename renames columns in place.
func (a *analyzer) projectRename(in plan.Node, op *syntax.ProjectRenameOp) plan.Node {
	s := in.Schema()
	out := append(column.Schema(nil), s...)
	for _, it := range op.Items {
		id, ok := it.Value.(*syntax.Ident)
		if !ok || len(it.Names) != 1 {
			a.errorf(it, "project-rename expects NewName = ExistingName")
			continue
		}
		i := s.Index(id.Name)
		if i < 0 {
			a.unknownColumn(id, s)
			continue
		}
		out[i].Name = it.Names[0].Name
	}
	return &plan.Project{Input: in, Exprs: identity(s), Out: out}
}

// projectReorder moves the listed columns to the front, in list order.
func (a *analyzer) projectReorder(in plan.Node, op *syntax.ProjectReorderOp) plan.Node {
	s := in.Schema()
	var order []int
	taken := make([]bool, len(s))
	for _, k := range op.Cols {
		sel := a.colPatterns(s, []syntax.Expr{k.X})
		for i, ok := range sel {
			if ok && !taken[i] {
				taken[i] = true
				order = append(order, i)
			}
		}
	}
	for i := range s {
		if !taken[i] {
			order = append(order, i)
		}
	}
	exprs := make([]plan.Expr, len(order))
	out := make(column.Schema, len(order))
	for j, i := range order {
		exprs[j] = &plan.ColRef{Index: i, Name: s[i].Name, T: s[i].Type}
		out[j] = s[i]
	}
	return &plan.Project{Input: in, Exprs: exprs, Out: out}
}

// sortKeys binds sort keys, resolving Kusto's defaults: descending, and
// nulls last when descending, first when ascending.
func (a *analyzer) sortKeys(sc *scope, s column.Schema, keys []*syntax.SortKey) []plan.SortKey {
	out := make([]plan.SortKey, 0, len(keys))
	ok := true
	for _, k := range keys {
		x := a.scalar(sc, s, k.X)
		if x == nil {
			ok = false
			continue
		}
		desc := k.Order != "asc"
		nullsFirst := !desc
		switch k.Nulls {
		case "first":
			nullsFirst = true
		case "last":
			nullsFirst = false
		}
		out = append(out, plan.SortKey{Expr: x, Desc: desc, NullsFirst: nullsFirst})
	}
	if !ok {
		return nil
	}
	return out
}

// distinct groups by the listed columns (or all of them).
func (a *analyzer) distinct(sc *scope, in plan.Node, op *syntax.DistinctOp) plan.Node {
	s := in.Schema()
	if op.Star {
		return &plan.Aggregate{Input: in, Keys: identity(s), Out: s}
	}
	var keys []plan.Expr
	var out column.Schema
	nm := newNamer(nil)
	for _, c := range op.Cols {
		name := ""
		if na, ok := c.(*syntax.NamedArg); ok { // distinct Name = expr
			name, c = na.Name.Name, na.Value
		}
		x := a.scalar(sc, s, c)
		if x == nil {
			continue
		}
		if name == "" {
			name = exprName(c)
		}
		if name == "" {
			name = nm.column()
		}
		keys = append(keys, x)
		out = append(out, column.Field{Name: nm.unique(name), Type: x.Type()})
	}
	return &plan.Aggregate{Input: in, Keys: keys, Out: out}
}

// print makes one row from constant expressions.
func (a *analyzer) print(sc *scope, op *syntax.PrintOp) plan.Node {
	var row []plan.Expr
	var out column.Schema
	nm := newNamer(nil)
	for i, it := range op.Items {
		if call := multiCall(sc, it); call != nil {
			xs, fs, _ := a.multiItem(sc, nil, it, call, nm,
				func(x plan.Expr) plan.Expr { return x })
			row, out = append(row, xs...), append(out, fs...)
			continue
		}
		x := a.scalar(sc, nil, it.Value)
		if x == nil {
			continue
		}
		// print names an unnamed item print_N, whatever its expression.
		name := fmt.Sprintf("print_%d", i)
		if len(it.Names) == 1 {
			name = it.Names[0].Name
		}
		row = append(row, x)
		out = append(out, column.Field{Name: nm.unique(name), Type: x.Type()})
	}
	return &plan.Values{Out: out, Rows: [][]plan.Expr{row}}
}

// rangeOp binds range Name from From to To step Step.
func (a *analyzer) rangeOp(sc *scope, op *syntax.RangeOp) plan.Node {
	from, to, step := a.scalar(sc, nil, op.From), a.scalar(sc, nil, op.To), a.scalar(sc, nil, op.Step)
	if from == nil || to == nil || step == nil {
		return nil
	}
	t := from.Type()
	switch t {
	case types.Int, types.Long, types.Real, types.Datetime, types.Timespan:
	default:
		a.errorf(op.From, "range expects a number, datetime or timespan start, found %s", t)
		return nil
	}
	if t == types.Int {
		t = types.Long
	}
	return &plan.Range{From: from, To: to, Step: step,
		Out: column.Schema{{Name: op.Name.Name, Type: t}}}
}

// datatable binds an inline table; its values are constants converted to
// the declared column types.
func (a *analyzer) datatable(sc *scope, op *syntax.DatatableOp) plan.Node {
	var out column.Schema
	for _, c := range op.Columns {
		t := c.Type.Scalar
		if c.Type.Name == "" || t == types.Unknown {
			a.errorf(c, "datatable column %s needs a scalar type", c.Name.Name)
			return nil
		}
		out = append(out, column.Field{Name: c.Name.Name, Type: t})
	}
	if len(out) == 0 {
		a.errorf(op, "datatable expects at least one column")
		return nil
	}
	if len(op.Values)%len(out) != 0 {
		a.errorf(op, "datatable has %d values, which is not a multiple of its %d columns",
			len(op.Values), len(out))
		return nil
	}
	var rows [][]plan.Expr
	for i := 0; i < len(op.Values); i += len(out) {
		row := make([]plan.Expr, len(out))
		for j := range out {
			v := a.scalar(sc, nil, op.Values[i+j])
			if v == nil {
				return nil
			}
			c, ok := convertConst(v, out[j].Type)
			if !ok {
				a.errorf(op.Values[i+j], "datatable column %s expects %s, found %s",
					out[j].Name, out[j].Type, v.Type())
				return nil
			}
			row[j] = c
		}
		rows = append(rows, row)
	}
	return &plan.Values{Out: out, Rows: rows}
}

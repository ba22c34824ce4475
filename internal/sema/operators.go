package sema

import (
	"fmt"
	"sort"
	"strings"

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
		if len(it.Names) == 1 {
			// extend y = 1, y = 2 is an error; extend x = 1 over a column x
			// replaces it.
			if nm.declared[name] {
				a.errorf(it.Names[0], "extend names column %s twice", name)
				continue
			}
			nm.declared[name] = true
		}
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
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == name
	}
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		k := strings.Index(name, p)
		if k < 0 {
			return false
		}
		name = name[k+len(p):]
	}
	return len(name) >= len(last) && strings.HasSuffix(name, last)
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
			if !found {
				a.errorf(c, "no column matches the pattern %s", c.Text)
				continue
			}
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
		name := it.Names[0].Name
		if j := out.Index(name); j >= 0 && j != i {
			a.errorf(it.Names[0], "project-rename cannot rename %s to %s: "+
				"a column named %s already exists", id.Name, name, name)
			continue
		}
		out[i].Name = name
	}
	return &plan.Project{Input: in, Exprs: identity(s), Out: out}
}

// projectReorder moves the listed columns to the front, in list order. The
// columns a pattern matches keep their input order, or with asc or desc
// are sorted by name; granny-asc and granny-desc compare the digit runs
// in names as numbers (a3 before a20).
func (a *analyzer) projectReorder(in plan.Node, op *syntax.ProjectReorderOp) plan.Node {
	s := in.Schema()
	var order []int
	taken := make([]bool, len(s))
	for _, k := range op.Cols {
		sel := a.colPatterns(s, []syntax.Expr{k.X})
		var matched []int
		for i, ok := range sel {
			if ok && !taken[i] {
				taken[i] = true
				matched = append(matched, i)
			}
		}
		if k.Order != "" {
			sort.SliceStable(matched, func(x, y int) bool {
				nx, ny := s[matched[x]].Name, s[matched[y]].Name
				c := strings.Compare(nx, ny)
				if strings.HasPrefix(k.Order, "granny") {
					c = grannyCompare(nx, ny)
				}
				if strings.HasSuffix(k.Order, "desc") {
					return c > 0
				}
				return c < 0
			})
		}
		order = append(order, matched...)
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

// grannyCompare orders names as people do: runs of digits compare as
// numbers, the rest as text.
func grannyCompare(x, y string) int {
	for x != "" && y != "" {
		dx, dy := isDigit(x[0]), isDigit(y[0])
		if dx && dy {
			i, j := digitRun(x), digitRun(y)
			nx, ny := strings.TrimLeft(x[:i], "0"), strings.TrimLeft(y[:j], "0")
			if len(nx) != len(ny) {
				return len(nx) - len(ny)
			}
			if c := strings.Compare(nx, ny); c != 0 {
				return c
			}
			x, y = x[i:], y[j:]
			continue
		}
		if x[0] != y[0] {
			return int(x[0]) - int(y[0])
		}
		x, y = x[1:], y[1:]
	}
	return len(x) - len(y)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitRun(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
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
		for _, f := range s {
			if f.Type == types.Dynamic {
				a.errorf(op, "distinct * groups by every column, but %s is dynamic; "+
					"project it away or convert it, as in tostring(%s)", f.Name, f.Name)
				return nil
			}
		}
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
		if x == nil || !a.groupKey(c, x) {
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
		// A function of several values gives one column per value, unless
		// print gives the item one name (Kusto's analyzer then shows one
		// column for array_sort_asc).
		if call := multiCall(sc, it); call != nil && len(it.Names) != 1 {
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
		// A given name may not repeat another given name; any other repeat
		// is renamed (print 1, print_0 = 2 names print_0 and print_01).
		name := fmt.Sprintf("print_%d", i)
		if len(it.Names) == 1 {
			name = it.Names[0].Name
		}
		name, ok := nm.declare(name, len(it.Names) == 1)
		if !ok {
			a.errorf(it.Names[0], "print names column %s twice", name)
			return nil
		}
		row = append(row, x)
		out = append(out, column.Field{Name: name, Type: x.Type()})
	}
	return &plan.Values{Out: out, Rows: [][]plan.Expr{row}}
}

// rangeOp binds range Name from From to To step Step. A numeric range is
// long unless one of its bounds or its step is real; a datetime range steps
// by a timespan, as does a timespan range.
func (a *analyzer) rangeOp(sc *scope, op *syntax.RangeOp) plan.Node {
	from, to, step := a.scalar(sc, nil, op.From), a.scalar(sc, nil, op.To), a.scalar(sc, nil, op.Step)
	if from == nil || to == nil || step == nil {
		return nil
	}
	ft, tt, st := from.Type(), to.Type(), step.Type()
	var t types.Type
	switch {
	case ft == types.Datetime || ft == types.Timespan:
		t = ft
		if tt != ft && tt != types.Unknown {
			a.errorf(op.To, "range from a %s expects a %s end, found %s", ft, ft, tt)
			return nil
		}
		if st != types.Timespan && st != types.Unknown {
			a.errorf(op.Step, "range over %s expects a timespan step, found %s", ft, st)
			return nil
		}
	case ft.IsNumeric() && ft != types.Decimal:
		t = types.Long
		for _, x := range []plan.Expr{to, step} {
			xt := x.Type()
			if xt == types.Real {
				t = types.Real
			} else if !xt.IsInteger() && xt != types.Unknown {
				what := op.To
				if x == step {
					what = op.Step
				}
				a.errorf(what, "range over numbers expects a number, found %s", xt)
				return nil
			}
		}
		if ft == types.Real {
			t = types.Real
		}
	default:
		a.errorf(op.From, "range expects a number, datetime or timespan start, found %s", ft)
		return nil
	}
	if c, ok := step.(*plan.Const); ok && isZero(c.Value) {
		a.errorf(op.Step, "range step must not be zero")
		return nil
	}
	return &plan.Range{From: from, To: to, Step: step,
		Out: column.Schema{{Name: op.Name.Name, Type: t}}}
}

// isZero reports whether v is a numeric or timespan zero.
func isZero(v any) bool {
	switch x := v.(type) {
	case int64:
		return x == 0
	case int32:
		return x == 0
	case float64:
		return x == 0
	case types.Duration:
		return x == 0
	}
	return false
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

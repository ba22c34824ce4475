package sema

import (
	"fmt"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// paramValue returns the text of an operator parameter's value (an
// identifier or a constant), or "" when absent.
func paramValue(params []*syntax.OpParam, name string) (string, *syntax.OpParam) {
	for _, p := range params {
		if strings.EqualFold(p.Name, name) {
			switch v := p.Value.(type) {
			case *syntax.Ident:
				return v.Name, p
			case *syntax.Literal:
				return types.Format(v.Value), p
			}
			return "", p
		}
	}
	return "", nil
}

var joinKinds = map[string]plan.JoinKind{
	"innerunique": plan.InnerUnique, "inner": plan.Inner,
	"leftouter": plan.LeftOuter, "rightouter": plan.RightOuter,
	"fullouter": plan.FullOuter, "outer": plan.FullOuter,
	"leftanti": plan.LeftAnti, "anti": plan.LeftAnti, "leftantisemi": plan.LeftAnti,
	"rightanti": plan.RightAnti, "rightantisemi": plan.RightAnti,
	"leftsemi": plan.LeftSemi, "semi": plan.LeftSemi, "rightsemi": plan.RightSemi,
}

// join binds join and lookup. lookup defaults to leftouter, drops the
// right side's key columns, and keeps the left key names.
func (a *analyzer) join(sc *scope, left plan.Node, params []*syntax.OpParam,
	rightExpr syntax.Expr, on []syntax.Expr, lookup bool,
) plan.Node {
	kind, what := plan.InnerUnique, "join"
	if lookup {
		kind, what = plan.LeftOuter, "lookup"
	}
	if v, p := paramValue(params, "kind"); p != nil {
		k, ok := joinKinds[strings.ToLower(v)]
		switch {
		case lookup && (!ok || (k != plan.LeftOuter && k != plan.Inner)):
			a.errorf(p, "lookup kind expects leftouter or inner, found %s", v)
			return nil
		case !ok:
			a.errorf(p, "unknown join kind %s; expected innerunique, inner, leftouter, "+
				"rightouter, fullouter, leftanti, rightanti, leftsemi or rightsemi", v)
			return nil
		}
		kind = k
	}
	right := a.tabular(sc, rightExpr)
	if right == nil {
		return nil
	}
	ls, rs := left.Schema(), right.Schema()
	var lk, rk []int
	var conds []syntax.Expr
	for _, c := range on {
		conds = append(conds, splitAnd(c)...)
	}
	for _, c := range conds {
		l, r, ok := a.joinKey(c, ls, rs, what)
		if !ok {
			continue
		}
		if ls[l].Type != rs[r].Type {
			a.errorf(c, "join key types differ: %s is %s on the left and %s is %s on the right",
				ls[l].Name, ls[l].Type, rs[r].Name, rs[r].Type)
			continue
		}
		lk, rk = append(lk, l), append(rk, r)
	}
	if len(conds) == 0 {
		a.errorf(rightExpr, "%s expects on followed by key columns", what)
		return nil
	}
	if len(lk) != len(conds) {
		return nil
	}
	out := joinSchema(kind, ls, rs, rk, lookup)
	return &plan.Join{Left: left, Right: right, Kind: kind, LeftKeys: lk, RightKeys: rk,
		Out: out, Lookup: lookup}
}

// joinSchema is the output of a join: the left columns then the right ones,
// right names made unique (DeviceId1). Semi and anti joins keep one side.
func joinSchema(kind plan.JoinKind, ls, rs column.Schema, rk []int, lookup bool,
) column.Schema {
	switch kind {
	case plan.LeftSemi, plan.LeftAnti:
		return ls
	case plan.RightSemi, plan.RightAnti:
		return rs
	}
	// A right column whose name the left side has is renamed with the
	// smallest suffix that neither side uses, so Timestamp meeting a right
	// side that already has Timestamp1 becomes Timestamp2.
	out := append(column.Schema(nil), ls...)
	nm := newNamer(ls)
	for _, f := range rs {
		nm.used[f.Name] = true
	}
	for i, f := range rs {
		if lookup && isKeyCol(rk, i) {
			continue
		}
		name := f.Name
		if ls.Index(name) >= 0 {
			name = nm.unique(name)
		}
		out = append(out, column.Field{Name: name, Type: f.Type})
	}
	return out
}

func splitAnd(e syntax.Expr) []syntax.Expr {
	if b, ok := unparen(e).(*syntax.BinaryExpr); ok && b.Op == "and" {
		return append(splitAnd(b.X), splitAnd(b.Y)...)
	}
	return []syntax.Expr{e}
}

// joinKey resolves one condition of a join or lookup (what): a column of
// both sides, or $left.A == $right.B (either order).
func (a *analyzer) joinKey(c syntax.Expr, ls, rs column.Schema, what string) (int, int, bool) {
	switch c := unparen(c).(type) {
	case *syntax.Ident:
		l, r := ls.Index(c.Name), rs.Index(c.Name)
		if l < 0 {
			a.unknownSide(c, "left", c.Name, ls, what)
			return 0, 0, false
		}
		if r < 0 {
			a.unknownSide(c, "right", c.Name, rs, what)
			return 0, 0, false
		}
		return l, r, true
	case *syntax.BinaryExpr:
		if c.Op != "==" {
			break
		}
		xs, xn, ok1 := sideRef(c.X)
		ys, yn, ok2 := sideRef(c.Y)
		if !ok1 || !ok2 || xs == ys {
			break
		}
		if xs == "$right" {
			xn, yn = yn, xn
		}
		l, r := ls.Index(xn), rs.Index(yn)
		if l < 0 {
			a.unknownSide(c, "left", xn, ls, what)
			return 0, 0, false
		}
		if r < 0 {
			a.unknownSide(c, "right", yn, rs, what)
			return 0, 0, false
		}
		return l, r, true
	}
	a.errorf(c, "expected a %s key: a column name or $left.Column == $right.Column", what)
	return 0, 0, false
}

func (a *analyzer) unknownSide(n syntax.Node, side, name string, s column.Schema,
	what string,
) {
	names := make([]string, len(s))
	for i, f := range s {
		names[i] = f.Name
	}
	msg := fmt.Sprintf("unknown column %s on the %s side of the %s", name, side, what)
	if c := closest(name, names); c != "" {
		msg += fmt.Sprintf("; did you mean %s?", c)
	}
	a.errs.Add(n.Span(), "%s", msg)
}

// sideRef recognizes $left.Name and $right.Name.
func sideRef(e syntax.Expr) (side, name string, ok bool) {
	m, isMember := unparen(e).(*syntax.MemberExpr)
	if !isMember {
		return "", "", false
	}
	id, isIdent := m.X.(*syntax.Ident)
	if !isIdent || (id.Name != "$left" && id.Name != "$right") {
		return "", "", false
	}
	return id.Name, m.Name.Name, true
}

// union binds union; in is the piped input, or nil when union starts the query.
func (a *analyzer) union(sc *scope, in plan.Node, op *syntax.UnionOp) plan.Node {
	var ins []plan.Node
	var names []string
	if in != nil {
		ins, names = append(ins, in), append(names, a.asNames[in])
	}
	fuzzy := false
	for _, p := range op.Params {
		v, _ := paramValue(op.Params, p.Name)
		switch p.Name {
		case "isfuzzy":
			fuzzy = strings.EqualFold(v, "true")
		case "kind":
			if !strings.EqualFold(v, "inner") && !strings.EqualFold(v, "outer") {
				a.errorf(p, "union kind expects inner or outer, found %s", v)
				return nil
			}
		}
	}
	for _, t := range op.Tables {
		if p, ok := t.(*syntax.Pattern); ok {
			matched := false
			for _, name := range a.tableNames(sc) {
				if match(p.Text, name) {
					if n := a.tableRef(sc, &syntax.Ident{At: p.At, Name: name}); n != nil {
						ins, names = append(ins, n), append(names, name)
						matched = true
					}
				}
			}
			if !matched && fuzzy {
				a.warnf("union: failed to resolve entity '%s'", p.Text)
			}
			continue
		}
		var n plan.Node
		if fuzzy {
			// isfuzzy=true: a leg naming a missing table is left out, with
			// a warning, as Kusto reports it in the query status.
			saved := len(a.errs)
			n = a.tabular(sc, t)
			if n == nil && a.onlyUnknownTables(saved) {
				for _, e := range a.errs[saved:] {
					a.warnf("union: failed to resolve entity: %s", e.Msg)
				}
				a.errs = a.errs[:saved]
				continue
			}
		} else {
			n = a.tabular(sc, t)
		}
		if n == nil {
			return nil
		}
		ins = append(ins, n)
		name := a.asNames[n] // named by the as operator
		if id, ok := unparen(t).(*syntax.Ident); ok {
			name = id.Name
		}
		names = append(names, name)
	}
	if len(ins) == 0 {
		if fuzzy {
			a.errorf(op, "union isfuzzy=true found none of its tables")
			return nil
		}
		a.errorf(op, "union expects at least one table")
		return nil
	}
	src, _ := paramValue(op.Params, "withsource")
	kind, _ := paramValue(op.Params, "kind")
	return unionNode(ins, names, src, strings.EqualFold(kind, "inner"))
}

// onlyUnknownTables reports whether every error reported since the first
// saved ones is about an unknown table.
func (a *analyzer) onlyUnknownTables(saved int) bool {
	if len(a.errs) == saved {
		return false
	}
	for _, e := range a.errs[saved:] {
		if !strings.HasPrefix(e.Msg, "unknown table ") {
			return false
		}
	}
	return true
}

// unionNode aligns the inputs' columns by name. A name with different types
// in different inputs becomes one column per type, named Name_type.
func unionNode(ins []plan.Node, names []string, src string, inner bool) *plan.Union {
	typesOf := map[string][]types.Type{}
	var order []string
	for _, n := range ins {
		for _, f := range n.Schema() {
			ts, seen := typesOf[f.Name]
			if !seen {
				order = append(order, f.Name)
			}
			dup := false
			for _, t := range ts {
				dup = dup || t == f.Type
			}
			if !dup {
				typesOf[f.Name] = append(ts, f.Type)
			}
		}
	}
	u := &plan.Union{Ins: ins, Names: names}
	if src != "" {
		u.Out = append(u.Out, column.Field{Name: src, Type: types.String})
	}
	type slot struct {
		name string
		t    types.Type
	}
	var slots []slot
	// A name with several types becomes Name_type per type, renamed past
	// the names kept as they are (x_long1 when x_long is a column too).
	nm := newNamer(u.Out)
	for _, name := range order {
		if len(typesOf[name]) == 1 && !(inner && !inAll(ins, name)) {
			nm.used[name] = true
		}
	}
	for _, name := range order {
		ts := typesOf[name]
		if inner && !inAll(ins, name) {
			continue
		}
		for _, t := range ts {
			out := name
			if len(ts) > 1 {
				out = nm.unique(name + "_" + t.String())
			}
			slots = append(slots, slot{name, t})
			u.Out = append(u.Out, column.Field{Name: out, Type: t})
		}
	}
	for i, n := range ins {
		s := n.Schema()
		m := make([]int, 0, len(u.Out))
		if src != "" {
			m = append(m, -2)
		}
		for _, sl := range slots {
			j := s.Index(sl.name)
			if j >= 0 && s[j].Type != sl.t {
				j = -1
			}
			m = append(m, j)
		}
		u.Maps = append(u.Maps, m)
		if names[i] == "" {
			names[i] = fmt.Sprintf("union_arg%d", i)
		}
	}
	return u
}

// isTableName reports whether name is bound to a table or to a function
// without parameters (a view) whose body is tabular.
func (a *analyzer) isTableName(sc *scope, name string) bool {
	b := sc.lookup(name)
	switch {
	case b == nil:
		return false
	case b.kind == bindTabular:
		return true
	case b.kind == bindFunction:
		if len(b.fn.Params) > 0 || b.fn.Body == nil {
			return false
		}
		return a.isTabular(b.fnEnv, b.fn.Body.Result)
	}
	return false
}

func inAll(ins []plan.Node, name string) bool {
	for _, n := range ins {
		if n.Schema().Index(name) < 0 {
			return false
		}
	}
	return true
}

func allColRefs(es []plan.Expr) bool {
	for i, e := range es {
		c, ok := e.(*plan.ColRef)
		if !ok || c.Index != i {
			return false
		}
	}
	return true
}

package sema

import (
	"regexp"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// This file binds search and find: a predicate applied to several tables,
// whose results are unioned with a column naming each row's table.

// DataCatalog is a Catalog that also knows which tables hold data; search
// and find without "in" cover those tables.
type DataCatalog interface {
	Catalog
	DataTables() []string
}

// source is one table search or find covers.
type source struct {
	name string
	node plan.Node
}

// sources resolves the tables of an in (...) clause: names, wildcards
// (Device*), let-bound tables and tabular expressions. Without a clause it
// returns the tables that hold data and the let-bound views in scope ("all
// unrestricted tables and views of the database", as the search page says).
func (a *analyzer) sources(sc *scope, tables []syntax.Expr) ([]source, bool) {
	var out []source
	if tables == nil {
		if dc, ok := a.cat.(DataCatalog); ok {
			for _, name := range dc.DataTables() {
				s, _ := a.cat.Table(name)
				out = append(out, source{name, &plan.Scan{Table: name, Columns: s}})
			}
		}
		for _, name := range a.viewNames(sc) {
			if n := a.tableRef(sc, &syntax.Ident{Name: name}); n != nil {
				out = append(out, source{name, n})
			}
		}
		return out, true
	}
	for _, t := range tables {
		if p, ok := t.(*syntax.Pattern); ok {
			for _, name := range a.tableNames(sc) {
				if match(p.Text, name) {
					if n := a.tableRef(sc, &syntax.Ident{At: p.At, Name: name}); n != nil {
						out = append(out, source{name, n})
					}
				}
			}
			continue
		}
		n := a.tabular(sc, t)
		if n == nil {
			return nil, false
		}
		name := ""
		if id, ok := unparen(t).(*syntax.Ident); ok {
			name = id.Name
		}
		out = append(out, source{name, n})
	}
	return out, true
}

// tableNames lists the tables a wildcard may match: the let-bound views
// in scope (let V = view () {...}; other let-bound tables are outside a
// union's scope, as the union page says) and the catalog's tables.
func (a *analyzer) tableNames(sc *scope) []string {
	seen := map[string]bool{}
	for _, name := range a.viewNames(sc) {
		seen[name] = true
	}
	for _, name := range a.cat.Tables() {
		seen[name] = true
	}
	return sortedNames(seen)
}

// viewNames lists, sorted, the let-bound views in scope that are not
// shadowed by another binding of their name.
func (a *analyzer) viewNames(sc *scope) []string {
	seen := map[string]bool{}
	for s := sc; s != nil; s = s.parent {
		for name := range s.names {
			if seen[name] {
				continue
			}
			b := sc.lookup(name)
			seen[name] = b.kind == bindFunction && b.fn.View && a.isTableName(sc, name)
		}
	}
	var out []string
	for _, name := range sortedNames(seen) {
		if seen[name] {
			out = append(out, name)
		}
	}
	return out
}

// search binds search [kind=...] [withsource=C] [in (Tables)] Pred. in is
// the piped input, or nil when search starts the query.
func (a *analyzer) search(sc *scope, in plan.Node, op *syntax.SearchOp) plan.Node {
	caseSensitive := false
	srcCol := "$table"
	for _, p := range op.Params {
		v, _ := paramValue(op.Params, p.Name)
		switch p.Name {
		case "kind":
			switch v {
			case "case_sensitive":
				caseSensitive = true
			case "case_insensitive", "default":
			default:
				a.errorf(p, "search kind expects case_sensitive or case_insensitive, found %s", v)
				return nil
			}
		case "withsource", "with_source":
			// search does not rename $table: Kusto's analyzer accepts
			// withsource= and keeps the column $table.
		}
	}
	var srcs []source
	if in != nil {
		if op.Tables != nil {
			a.errorf(op, "search on a piped input cannot also name tables with in (...)")
			return nil
		}
		name := ""
		if s, ok := in.(*plan.Scan); ok {
			name = s.Table
		}
		srcs = []source{{name, in}}
	} else {
		var ok bool
		if srcs, ok = a.sources(sc, op.Tables); !ok {
			return nil
		}
	}
	var ins []plan.Node
	var names []string
	for _, s := range srcs {
		pred := a.searchPred(sc, s, op.Pred, caseSensitive)
		if pred == nil {
			return nil
		}
		ins = append(ins, &plan.Filter{Input: s.node, Pred: pred})
		names = append(names, s.name)
	}
	if len(ins) == 0 {
		return &plan.Values{Out: column.Schema{{Name: srcCol, Type: types.String}}}
	}
	first := names[0]
	u := unionNode(ins, names, srcCol, false)
	if in != nil {
		u.Names[0] = first // a piped input without a table name stays unnamed
	}
	return u
}

// searchPred binds a search or find predicate over one table. A bare
// string term matches any column; Col:"term" matches one column; a
// predicate naming a column the table lacks is false for that table.
func (a *analyzer) searchPred(sc *scope, s source, e syntax.Expr, cs bool) plan.Expr {
	x := a.rewriteSearch(s, e, cs)
	if x == nil {
		return nil
	}
	return a.scalar(sc, s.node.Schema(), x)
}

var falseLit = &syntax.Literal{Kind: syntax.LitBool, Type: types.Bool, Value: false, Raw: "false"}

// rewriteSearch turns search syntax into an ordinary predicate over the
// columns of s.
func (a *analyzer) rewriteSearch(s source, e syntax.Expr, cs bool) syntax.Expr {
	schema := s.node.Schema()
	switch x := e.(type) {
	case *syntax.ParenExpr:
		inner := a.rewriteSearch(s, x.X, cs)
		if inner == nil {
			return nil
		}
		return &syntax.ParenExpr{At: x.At, X: inner}
	case *syntax.Literal:
		if term, ok := x.Value.(string); ok {
			return anyColumn(x, schema, term, cs)
		}
	case *syntax.StarExpr:
		// search * matches every row.
		return &syntax.Literal{At: x.At, Kind: syntax.LitBool, Type: types.Bool, Value: true,
			Raw: "true"}
	case *syntax.BinaryExpr:
		switch x.Op {
		case "and", "or":
			l, r := a.rewriteSearch(s, x.X, cs), a.rewriteSearch(s, x.Y, cs)
			if l == nil || r == nil {
				return nil
			}
			return &syntax.BinaryExpr{At: x.At, Op: x.Op, OpSpan: x.OpSpan, X: l, Y: r}
		case ":":
			id, ok := x.X.(*syntax.Ident)
			lit, ok2 := x.Y.(*syntax.Literal)
			term, ok3 := "", false
			if ok2 {
				term, ok3 = lit.Value.(string)
			}
			if !ok || !ok3 {
				a.errorf(x, `search expects Column:"term"`)
				return nil
			}
			if schema.Index(id.Name) < 0 {
				return falseLit
			}
			return termMatch(x, id, term, cs)
		}
		if _, star := x.X.(*syntax.StarExpr); star {
			return starPredicate(x, schema)
		}
	case *syntax.CallExpr:
		if x.Fun.Name == "not" && len(x.Args) == 1 {
			inner := a.rewriteSearch(s, x.Args[0], cs)
			if inner == nil {
				return nil
			}
			out := *x
			out.Args = []syntax.Expr{inner}
			return &out
		}
	}
	// Any other predicate: $table is the table's name; a column the table
	// lacks makes the predicate false there.
	e = replaceTable(e, s.name)
	if !namesExist(e, schema) {
		return falseLit
	}
	return e
}

// starPredicate is * op Y, as in where * has "cow": op over every column
// of the row (as text), true when it holds for any of them.
func starPredicate(x *syntax.BinaryExpr, schema column.Schema) syntax.Expr {
	var parts []syntax.Expr
	for _, f := range schema {
		parts = append(parts, &syntax.BinaryExpr{At: x.At, Op: x.Op, OpSpan: x.OpSpan,
			X: colText(x, f), Y: x.Y})
	}
	return orAll(parts)
}

// anyColumn is "term" over every column of the row.
func anyColumn(at syntax.Node, schema column.Schema, term string, cs bool) syntax.Expr {
	var parts []syntax.Expr
	for _, f := range schema {
		parts = append(parts, termMatch(at, colText(at, f), term, cs))
	}
	return orAll(parts)
}

// colText is column f as a string: non-string columns are converted.
func colText(at syntax.Node, f column.Field) syntax.Expr {
	id := &syntax.Ident{Name: f.Name}
	id.Sp = at.Span()
	if f.Type == types.String {
		return id
	}
	fun := &syntax.Ident{Name: "tostring"}
	fun.Sp = at.Span()
	call := &syntax.CallExpr{Fun: fun, Args: []syntax.Expr{id}}
	call.Sp = at.Span()
	return call
}

// termMatch is x matching a search term: "abc" is has, "abc*" hasprefix,
// "*abc" hassuffix, "*abc*" contains, and "a*c" matches regex \ba.*c\b.
func termMatch(at syntax.Node, x syntax.Expr, term string, cs bool) syntax.Expr {
	op := "has"
	pre, suf := strings.HasPrefix(term, "*"), strings.HasSuffix(term, "*")
	core := strings.Trim(term, "*")
	switch {
	case term == "*":
		return &syntax.Literal{Kind: syntax.LitBool, Type: types.Bool, Value: true, Raw: "true"}
	case strings.Contains(core, "*"):
		parts := strings.Split(term, "*")
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		re := `\b` + strings.Join(parts, ".*") + `\b`
		if !cs {
			re = "(?i)" + re
		}
		return binary(at, "matches regex", x, re)
	case pre && suf:
		op = "contains"
	case pre:
		op = "hassuffix"
	case suf:
		op = "hasprefix"
	}
	if cs {
		op += "_cs"
	}
	return binary(at, op, x, core)
}

func binary(at syntax.Node, op string, x syntax.Expr, s string) syntax.Expr {
	lit := &syntax.Literal{Kind: syntax.LitString, Type: types.String, Value: s, Raw: "'" + s + "'"}
	lit.Sp = at.Span()
	b := &syntax.BinaryExpr{Op: op, X: x, Y: lit}
	b.Sp = at.Span()
	return b
}

func orAll(parts []syntax.Expr) syntax.Expr {
	if len(parts) == 0 {
		return falseLit
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out = &syntax.BinaryExpr{At: syntax.At{Sp: out.Span()}, Op: "or", X: out, Y: p}
	}
	return out
}

// replaceTable replaces the name $table in e with the table's name.
func replaceTable(e syntax.Expr, name string) syntax.Expr {
	switch x := e.(type) {
	case *syntax.Ident:
		if x.Name == "$table" {
			return &syntax.Literal{At: x.At, Kind: syntax.LitString, Type: types.String,
				Value: name, Raw: "'" + name + "'"}
		}
	case *syntax.BinaryExpr:
		out := *x
		out.X, out.Y = replaceTable(x.X, name), replaceTable(x.Y, name)
		return &out
	case *syntax.ParenExpr:
		return &syntax.ParenExpr{At: x.At, X: replaceTable(x.X, name)}
	}
	return e
}

// namesExist reports whether every bare name e reads as a column (not a
// function) is a column of schema.
func namesExist(e syntax.Expr, schema column.Schema) bool {
	ok := true
	var walk func(e syntax.Expr)
	walk = func(e syntax.Expr) {
		switch x := e.(type) {
		case *syntax.Ident:
			if schema.Index(x.Name) < 0 {
				ok = false
			}
		case *syntax.BinaryExpr:
			walk(x.X)
			walk(x.Y)
		case *syntax.ParenExpr:
			walk(x.X)
		case *syntax.UnaryExpr:
			walk(x.X)
		case *syntax.CallExpr:
			for _, arg := range x.Args {
				walk(arg)
			}
		case *syntax.MemberExpr:
			walk(x.X)
		case *syntax.IndexExpr:
			walk(x.X)
		}
	}
	walk(e)
	return ok
}

// find binds find [withsource=C] [in (Tables)] where Pred [project Cols |
// project-smart]. A table that has none of the columns the predicate names
// is left out. project-smart, the default, outputs source_, the columns
// the predicate names and those every table has (same name and type), and
// pack_, a bag of each row's other non-empty values.
func (a *analyzer) find(sc *scope, op *syntax.FindOp) plan.Node {
	srcCol := "source_"
	if v, p := paramValue(op.Params, "withsource"); p != nil {
		srcCol = v
	}
	srcs, ok := a.sources(sc, op.Tables)
	if !ok {
		return nil
	}
	predCols := map[string]bool{}
	columnNames(op.Pred, predCols)
	var ins []plan.Node
	var names []string
	for _, s := range srcs {
		if len(predCols) > 0 && !hasAny(s.node.Schema(), predCols) {
			continue
		}
		pred := a.searchPred(sc, s, op.Pred, false)
		if pred == nil {
			return nil
		}
		ins = append(ins, &plan.Filter{Input: s.node, Pred: pred})
		names = append(names, s.name)
	}
	if op.Project != nil {
		for _, c := range op.Project {
			id, ok := c.X.(*syntax.Ident)
			if !ok || c.Type != nil {
				continue
			}
			found := false
			for _, n := range ins {
				found = found || n.Schema().Index(id.Name) >= 0
			}
			if !found && len(ins) > 0 {
				a.errorf(c, "find project: no table has a column %s; "+
					"give its type (%s: string) to project it anyway", id.Name, id.Name)
				return nil
			}
		}
		for i, n := range ins {
			if ins[i] = a.findProject(sc, n, op.Project); ins[i] == nil {
				return nil
			}
		}
	} else {
		keep := map[string]bool{}
		for _, f := range commonColumns(ins) {
			keep[f.Name] = true
		}
		for name := range predCols {
			keep[name] = true
		}
		for i, n := range ins {
			ins[i] = findPack(n, keep)
		}
	}
	if len(ins) == 0 {
		return &plan.Values{Out: column.Schema{{Name: srcCol, Type: types.String}}}
	}
	return packLast(unionNode(ins, names, srcCol, false))
}

// packLast moves the pack_ column of a find result to the end, where
// Kusto shows it, after columns that only later tables have.
func packLast(u plan.Node) plan.Node {
	s := u.Schema()
	j := s.Index("pack_")
	if j < 0 || j == len(s)-1 {
		return u
	}
	p := &plan.Project{Input: u}
	for i, f := range s {
		if i != j {
			p.Exprs = append(p.Exprs, &plan.ColRef{Index: i, Name: f.Name, T: f.Type})
			p.Out = append(p.Out, f)
		}
	}
	p.Exprs = append(p.Exprs, &plan.ColRef{Index: j, Name: s[j].Name, T: s[j].Type})
	p.Out = append(p.Out, s[j])
	return p
}

// columnNames adds the bare names a predicate reads to out.
func columnNames(e syntax.Expr, out map[string]bool) {
	switch x := e.(type) {
	case *syntax.Ident:
		out[x.Name] = true
	case *syntax.BinaryExpr:
		columnNames(x.X, out)
		columnNames(x.Y, out)
	case *syntax.ParenExpr:
		columnNames(x.X, out)
	case *syntax.UnaryExpr:
		columnNames(x.X, out)
	case *syntax.CallExpr:
		for _, arg := range x.Args {
			columnNames(arg, out)
		}
	case *syntax.MemberExpr:
		columnNames(x.X, out)
	case *syntax.IndexExpr:
		columnNames(x.X, out)
	}
}

func hasAny(s column.Schema, names map[string]bool) bool {
	for _, f := range s {
		if names[f.Name] {
			return true
		}
	}
	return false
}

// conversionOf names the function that converts to t.
var conversionOf = map[types.Type]string{
	types.String: "tostring", types.Long: "tolong", types.Int: "toint", types.Real: "todouble",
	types.Bool: "tobool", types.Datetime: "todatetime", types.Timespan: "totimespan",
	types.Guid: "toguid", types.Decimal: "todecimal", types.Dynamic: "todynamic",
}

// findProject keeps the listed columns of one table; a column it lacks is
// null there, typed by its Col: type annotation, and a column of another
// type is converted. pack_all() packs the columns not listed.
func (a *analyzer) findProject(sc *scope, in plan.Node, cols []*syntax.FindColumn) plan.Node {
	s := in.Schema()
	p := &plan.Project{Input: in}
	listed := map[string]bool{}
	for _, c := range cols {
		if id, ok := c.X.(*syntax.Ident); ok {
			listed[id.Name] = true
		}
	}
	for _, c := range cols {
		id, ok := c.X.(*syntax.Ident)
		if !ok {
			if call, isCall := c.X.(*syntax.CallExpr); isCall && call.Fun.Name == "pack_all" {
				var rest column.Schema
				var idx []int
				for i, f := range s {
					if !listed[f.Name] {
						rest, idx = append(rest, f), append(idx, i)
					}
				}
				p.Exprs = append(p.Exprs, packNonNull(rest, idx))
				p.Out = append(p.Out, column.Field{Name: "pack_", Type: types.Dynamic})
				continue
			}
			a.errorf(c, "find project expects column names or pack_all(), found %s", describe(c.X))
			return nil
		}
		i := s.Index(id.Name)
		var t types.Type
		if c.Type != nil {
			t = c.Type.Scalar
		}
		switch {
		case i >= 0 && (c.Type == nil || s[i].Type == t):
			p.Exprs = append(p.Exprs, &plan.ColRef{Index: i, Name: id.Name, T: s[i].Type})
			p.Out = append(p.Out, s[i])
		case i >= 0 && conversionOf[t] != "":
			fun := &syntax.Ident{At: c.At, Name: conversionOf[t]}
			x := a.scalar(sc, s, &syntax.CallExpr{At: c.At, Fun: fun, Args: []syntax.Expr{id}})
			if x == nil {
				return nil
			}
			p.Exprs = append(p.Exprs, x)
			p.Out = append(p.Out, column.Field{Name: id.Name, Type: t})
		case c.Type != nil:
			p.Exprs = append(p.Exprs, &plan.Const{T: t})
			p.Out = append(p.Out, column.Field{Name: id.Name, Type: t})
		default:
			// Absent here: left out, so that the union takes the type
			// from the tables that have it.
		}
	}
	return p
}

// commonColumns lists the columns (name and type) that every input has.
func commonColumns(ins []plan.Node) column.Schema {
	if len(ins) == 0 {
		return nil
	}
	var out column.Schema
	for _, f := range ins[0].Schema() {
		all := true
		for _, n := range ins[1:] {
			j := n.Schema().Index(f.Name)
			all = all && j >= 0 && n.Schema()[j].Type == f.Type
		}
		if all {
			out = append(out, f)
		}
	}
	return out
}

// findPack projects the kept columns and packs the others into pack_.
func findPack(in plan.Node, keep map[string]bool) plan.Node {
	s := in.Schema()
	p := &plan.Project{Input: in}
	var rest column.Schema
	var restIdx []int
	for i, f := range s {
		if keep[f.Name] {
			p.Exprs = append(p.Exprs, &plan.ColRef{Index: i, Name: f.Name, T: f.Type})
			p.Out = append(p.Out, f)
		} else {
			rest, restIdx = append(rest, f), append(restIdx, i)
		}
	}
	p.Exprs = append(p.Exprs, packNonNull(rest, restIdx))
	p.Out = append(p.Out, column.Field{Name: "pack_", Type: types.Dynamic})
	return p
}

// packNonNull packs the non-empty values of cols into a bag.
func packNonNull(cols column.Schema, idx []int) plan.Expr {
	args := make([]plan.Expr, 0, 2*len(cols))
	for i, f := range cols {
		args = append(args, &plan.Const{Value: f.Name, T: types.String},
			&plan.ColRef{Index: idx[i], Name: f.Name, T: f.Type})
	}
	return &plan.Call{Name: functions.PackNonEmpty.Name, Fn: functions.PackNonEmpty,
		Args: args, T: types.Dynamic}
}

package sema

import (
	"fmt"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/schema"
	"github.com/huntql/huntql/internal/syntax"
)

// conversions are the functions whose unnamed result takes the name of
// their argument, as Kusto names tostring(b.z) "b_z".
var conversions = map[string]bool{
	"tostring": true, "toint": true, "tolong": true, "todouble": true, "toreal": true,
	"tobool": true, "toboolean": true, "todatetime": true, "totimespan": true,
	"toguid": true, "todecimal": true, "todynamic": true, "parse_json": true,
	"bin": true, "floor": true,
}

// exprName returns the column name Kusto gives an unnamed expression, or ""
// when it gives none (Column1, print_0 and the like are assigned by the caller).
func exprName(e syntax.Expr) string {
	switch e := e.(type) {
	case *syntax.Ident:
		return e.Name
	case *syntax.ParenExpr:
		return exprName(e.X)
	case *syntax.MemberExpr:
		if x := exprName(e.X); x != "" {
			return x + "_" + e.Name.Name
		}
		return e.Name.Name
	case *syntax.IndexExpr:
		x := exprName(e.X)
		key := ""
		if lit, ok := e.Index.(*syntax.Literal); ok {
			if s, ok := lit.Value.(string); ok {
				key = s
			}
		}
		if x != "" && key != "" {
			return x + "_" + key
		}
		return x
	case *syntax.CallExpr:
		if len(e.Args) == 0 {
			return ""
		}
		inner := exprName(e.Args[0])
		if conversions[e.Fun.Name] {
			return inner
		}
		if inner != "" {
			return e.Fun.Name + "_" + inner
		}
	}
	return ""
}

// aggPrefix is the prefix of an unnamed aggregate's column: count() is
// count_, dcount(DeviceId) dcount_DeviceId, make_set(x) set_x.
var aggPrefix = map[string]string{
	"make_set": "set", "make_list": "list", "make_bag": "bag",
	"make_set_if": "set", "make_list_if": "list", "make_bag_if": "bag",
	"make_list_with_nulls": "list", "make_dictionary": "dictionary",
	"makelist": "list", "makeset": "set",
}

// predicateAgg lists aggregates whose only argument is a predicate; Kusto
// names them by the aggregate alone (countif_).
var predicateAgg = map[string]bool{"countif": true}

// keyName names a summarize by-key: a column keeps its name, as does bin or
// floor of a column; other expressions get ColumnN.
func keyName(e syntax.Expr) string {
	switch x := unparen(e).(type) {
	case *syntax.Ident:
		return x.Name
	case *syntax.CallExpr:
		if (x.Fun.Name == "bin" || x.Fun.Name == "floor" || x.Fun.Name == "bin_at") &&
			len(x.Args) > 0 {
			if id, ok := unparen(x.Args[0]).(*syntax.Ident); ok {
				return id.Name
			}
		}
	case *syntax.MemberExpr, *syntax.IndexExpr:
		return exprName(e)
	}
	return ""
}

// aggName names the i-th output of an unnamed aggregate call.
func aggName(call *syntax.CallExpr) string {
	prefix := call.Fun.Name
	if p, ok := aggPrefix[prefix]; ok {
		prefix = p
	}
	arg := ""
	if len(call.Args) > 0 && !predicateAgg[call.Fun.Name] {
		arg = exprName(call.Args[0])
	}
	name := prefix + "_" + arg
	if prefix == "percentile" && len(call.Args) > 1 {
		if lit, ok := call.Args[1].(*syntax.Literal); ok {
			name += "_" + strings.ReplaceAll(lit.Raw, ".", "_")
		}
	}
	return name
}

// namer hands out unique column names for an output schema, renaming
// repeats as Kusto does (Timestamp, Timestamp1, ...).
type namer struct {
	used map[string]bool
	next int // for Column1, Column2, ...
}

func newNamer(existing column.Schema) *namer {
	n := &namer{used: map[string]bool{}}
	for _, f := range existing {
		n.used[f.Name] = true
	}
	return n
}

// unique returns name, or name with the smallest numeric suffix not yet used.
func (n *namer) unique(name string) string {
	if !n.used[name] {
		n.used[name] = true
		return name
	}
	for i := 1; ; i++ {
		c := fmt.Sprintf("%s%d", name, i)
		if !n.used[c] {
			n.used[c] = true
			return c
		}
	}
}

// column returns the next free ColumnN name.
func (n *namer) column() string {
	for {
		n.next++
		c := fmt.Sprintf("Column%d", n.next)
		if !n.used[c] {
			n.used[c] = true
			return c
		}
	}
}

// closest returns the candidate nearest to name, for "did you mean"
// suggestions, or "" when none is near enough to be a plausible typo.
func closest(name string, candidates []string) string {
	return schema.ClosestOf(name, candidates)
}

// itemName names an item of extend, project or summarize: its explicit
// name, else Kusto's name for its expression, else the next ColumnN.
func itemName(it *syntax.Assign, nm *namer) string {
	if len(it.Names) == 1 {
		return it.Names[0].Name
	}
	if name := exprName(it.Value); name != "" {
		return name
	}
	return nm.column()
}

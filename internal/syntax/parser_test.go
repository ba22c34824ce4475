package syntax

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/huntql/huntql/internal/types"
	"github.com/shopspring/decimal"
)

// printTree prints n with every operator expression wrapped in { }, so
// that goldens show how the parser grouped it.
func printTree(n Node) string {
	pr := printer{parens: true}
	pr.node(n)
	return pr.b.String()
}

func TestParseGolden(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"precedence", "print a or b and c == d + e * -f",
			"print {a or {b and {c == {d + {e * {-f}}}}}}"},
		{"string operators", `T | where a !contains "x" or b has_cs 'y' and c !startswith_cs "z"`,
			`T` + "\n" + `| where {{a !contains "x"} or {{b has_cs "y"} and {c !startswith_cs "z"}}}`},
		{"in forms", `T | where a in~ ("x") and b !in (1, 2) and c has_any (L) and d !in~ ("y")`,
			"T\n| where {{{a in~ (\"x\") and b !in (1, 2)} and c has_any (L)} and d !in~ (\"y\")}"},
		{"between", "print x between (1 .. 10), y !between(ago(1d) .. now())",
			"print x between (1 .. 10), y !between (ago(1d) .. now())"},
		{"matches regex", `T | where a matches regex @"\d"`, "T\n| where {a matches regex \"\\\\d\"}"},
		{"legacy not-equal", "print a <> b", "print {a != b}"},
		{"postfix", `print a.b["c"][0].d, parse_url(u).Host, $left.x`,
			`print a.b["c"][0].d, parse_url(u).Host, $left.x`},
		{"dot index", `print p["Query Parameters"].[name], d.[0]`,
			`print p["Query Parameters"][name], d[0]`},
		{"method call", `cluster("c").database("d").T | count`,
			`cluster("c").database("d").T` + "\n| count"},
		{"star and named args", "T | summarize arg_max(ts, *), c = count() by bin(ts, 1h)",
			"T\n| summarize arg_max(ts, *), c = count() by bin(ts, 1h)"},
		{"pipe in argument", "print toscalar(T | count)", "print toscalar(T\n| count)"},
		{"let function", "let f = (a: string, T: (*), b: long = 5) { T | take b }; f('x', U)",
			"let f = (a: string, T: (*), b: long = 5) {\n    T\n    | take b\n};\nf(\"x\", U)"},
		{"tabular parameter schema", "let f = (T: (a: string, b: long)) { T }; f(U)",
			"let f = (T: (a: string, b: long)) {\n    T\n};\nf(U)"},
		{"set and declare",
			"set notruncation; set x = 5; declare query_parameters(p: string = 'a'); print p",
			"set notruncation;\nset x = 5;\ndeclare query_parameters(p: string = \"a\");\nprint p"},
		{"declare pattern",
			"declare pattern p = (name: string)[state: string] { ('A').['x'] = { print c = 1 }; " +
				"(\"B\").[\"y\"] = { T } }; p('A').x",
			"declare pattern p = (name: string)[state: string] {\n    (\"A\").[\"x\"] = {\n" +
				"        print c = 1\n    };\n    (\"B\").[\"y\"] = {\n        T\n    };\n};\np(\"A\").x"},
		{"empty pattern", "declare pattern m; m('10.0.0.1')", "declare pattern m;\nm(\"10.0.0.1\")"},
		{"join", "T | join kind=leftouter hint.strategy=broadcast (U) on $left.a == $right.b, c",
			"T\n| join kind=leftouter hint.strategy=broadcast (U) on {$left.a == $right.b}, c"},
		{"lookup", "T | lookup kind=inner U on k", "T\n| lookup kind=inner U on k"},
		{"union with pattern", "union withsource=Src isfuzzy=true Device*, (X | take 1)",
			"union withsource=Src isfuzzy=true Device*, (X\n    | take 1)"},
		{"project family",
			"T | project-away a*, b | project-keep c | project-rename n = o | project-reorder x desc, y*",
			"T\n| project-away a*, b\n| project-keep c\n| project-rename n = o" +
				"\n| project-reorder x desc, y*"},
		{"tuple assignment", "T | extend (a, b) = f(x), c = 1",
			"T\n| extend (a, b) = f(x), c = 1"},
		{"summarize by only", "T | summarize by a, b", "T\n| summarize by a, b"},
		{"sort nulls", "T | order by a asc nulls first, b", "T\n| sort by a asc nulls first, b"},
		{"top", "T | top 5 by x desc nulls last", "T\n| top 5 by x desc nulls last"},
		{"distinct named", "T | distinct a, B = tolower(b)", "T\n| distinct a, B=tolower(b)"},
		{"mv-expand", "T | mv-expand bagexpansion=array with_itemindex=i x = d to typeof(long) limit 10",
			"T\n| mv-expand bagexpansion=array with_itemindex=i x = d to typeof(long) limit 10"},
		{"mv-apply", "T | mv-apply e = arr to typeof(long) on (top 1 by e | project e)",
			"T\n| mv-apply e = arr to typeof(long) on (top 1 by e\n    | project e)"},
		{"datatable", "datatable(a: long, b: string) [1, 'x', -2, 'y']",
			`datatable (a: long, b: string) [1, "x", {-2}, "y"]`},
		{"range", "range i from 1 to 10 step 2", "range i from 1 to 10 step 2"},
		{"parse", `T | parse kind=regex flags=Ui m with "a=" A: long * ", " B`,
			`T` + "\n" + `| parse kind=regex flags=Ui m with "a=" A: long * ", " B`},
		{"parse-kv", `T | parse-kv m as (a: long, b: string) with (pair_delimiter=",")`,
			`T` + "\n" + `| parse-kv m as (a: long, b: string) with (pair_delimiter=",")`},
		{"make-series", "T | make-series c = count() default = 0 on ts in range(0, 10, 1) by k",
			"T\n| make-series c = count() default = 0 on ts in range(0, 10, 1) by k"},
		{"render", "T | render timechart with (title='t', ycolumns=a, b)",
			"T\n| render timechart with (title=\"t\", ycolumns=a, b)"},
		{"evaluate", "T | evaluate bag_unpack(d, 'p_') : (*, x: long)",
			"T\n| evaluate bag_unpack(d, \"p_\") : (*, x: long)"},
		{"top-nested",
			"T | top-nested 2 of a by s = sum(x) desc, top-nested of b with others = 0 by max(y)",
			"T\n| top-nested 2 of a by s = sum(x) desc,\n  top-nested of b with others = 0 by max(y)"},
		{"fork", "T | fork (where a) n = (take 1)", "T\n| fork (where a) n = (take 1)"},
		{"partition", "T | partition hint.strategy=native by k (top 1 by t)",
			"T\n| partition hint.strategy=native by k (top 1 by t)"},
		{"scan", "T | scan declare (c: long = 0) with (step s: x > 1 => c = s.c + 1;)",
			"T\n| scan declare (c: long = 0) with (\n    step s: {x > 1} => c = {s.c + 1};\n)"},
		{"find", "find in (T, U) where x == 1 project a, b: string",
			"find in (T, U) where {x == 1} project a, b: string"},
		{"search", `search in (T) "err"`, `search in (T) "err"`},
		{"union star", "union * | count", "union *\n| count"},
		{"let view", "let V = view () { T }; V", "let V = view () {\n    T\n};\nV"},
		{"search star", "search * | count", "search *\n| count"},
		{"find star has", `find * has "x"`, `find where {* has "x"}`},
		{"search column term", `T | search Name:"x" and "y"`,
			"T\n| search {{Name : \"x\"} and \"y\"}"},
		{"misc operators",
			"T | as hint.materialized=true X | getschema | sample 3 | sample-distinct 2 of a " +
				"| top-hitters 3 of a by b | serialize n = row_number() | reduce by m with (threshold=0.5) " +
				"| invoke f(1) | consume",
			"T\n| as hint.materialized=true X\n| getschema\n| sample 3\n| sample-distinct 2 of a" +
				"\n| top-hitters 3 of a by b\n| serialize n = row_number()" +
				"\n| reduce by m with (threshold=0.5)\n| invoke f(1)\n| consume"},
		{"externaldata", "externaldata (a: string) ['https://x'] with (format='csv')",
			"externaldata (a: string) [\"https://x\"] with (format=\"csv\")"},
		{"graph-match", "G | graph-match cycles=none (a)-[e*1..3]->(b)<--(), (b)--(c) " +
			"where a.x == 1 project a.x, n = node_id(c) | count",
			"G\n| graph-match cycles=none (a)-[e*1..3]->(b)<-[]-(), (b)-[]-(c) " +
				"where {a.x == 1} project a.x, n = node_id(c)\n| count"},
		{"make-graph", "E | make-graph s --> d with N on id, M on k | graph-to-table nodes as X " +
			"with_node_id=I, edges with_source_id=S | graph-mark-components kind=weak",
			"E\n| make-graph s --> d with N on id, M on k\n| graph-to-table nodes as X " +
				"with_node_id=I, edges with_source_id=S\n| graph-mark-components kind=weak"},
		{"make-graph partitioned", "E | make-graph s -- d with_node_id=n partitioned-by t " +
			"(graph-shortest-paths output=all (a)-[*2..4]-(b) project a.n)",
			"E\n| make-graph s -- d with_node_id=n partitioned-by t (graph-shortest-paths " +
				"output=all (a)-[*2..4]-(b) project a.n)"},
		{"keyword-named columns", "T | project count, kind, type = title | where kind == 1",
			"T\n| project count, kind, type = title\n| where {kind == 1}"},
		{"bracketed names", `T | project ['a b'] = ["c"] | extend x = d['k']`,
			`T` + "\n" + `| project ["a b"] = ["c"]` + "\n" + `| extend x = d["k"]`},
		{"concatenated strings", `print "a" 'b' @"c"`, `print "abc"`},
		{"capitalized parameter name is a column", "T | summarize Flags = count()",
			"T\n| summarize Flags = count()"},
		{"project-by-names", `T | project-by-names "a", dynamic(["b"]), column_names_of(U)`,
			"T\n| project-by-names \"a\", dynamic([\"b\"]), column_names_of(U)"},
		{"sourceless evaluate", "evaluate python(typeof(*, x: long), 'code')",
			"evaluate python(typeof(*, x: long), \"code\")"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			script, err := Parse(NewSource("q", tc.in))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if got := printTree(script); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			first := Print(script)
			again, err := Parse(NewSource("printed", first))
			if err != nil {
				t.Fatalf("printed text does not parse: %v\n%s", err, first)
			}
			if second := Print(again); second != first {
				t.Errorf("round trip differs:\n%s\n---\n%s", first, second)
			}
		})
	}
}

func TestParseLiterals(t *testing.T) {
	date := func(s string) types.Date { d, _ := types.ParseDatetime(s); return d }
	bag := types.NewBag()
	bag.Set("a", []any{int64(1), -2.5, date("2020-01-01"), nil})
	bag.Set("b", types.NewBag())
	tests := []struct {
		name, in string
		kind     LitKind
		typ      types.Type
		value    any
	}{
		{"long", "42", LitLong, types.Long, int64(42)},
		{"hex", "0x1F", LitLong, types.Long, int64(31)},
		{"min long", "-9223372036854775808", LitLong, types.Long, int64(math.MinInt64)},
		{"min long spaced", "- 9223372036854775808", LitLong, types.Long, int64(math.MinInt64)},
		{"max long", "9223372036854775807", LitLong, types.Long, int64(math.MaxInt64)},
		{"real", "1.5", LitReal, types.Real, 1.5},
		{"exponent", "1e3", LitReal, types.Real, 1000.0},
		{"int", "int(5)", LitInt, types.Int, int32(5)},
		{"negative long", "long(-7)", LitLong, types.Long, int64(-7)},
		{"real inf", "real(+inf)", LitReal, types.Real, math.Inf(1)},
		{"decimal", "decimal(1.5)", LitDecimal, types.Decimal, decimal.RequireFromString("1.5")},
		{"bool", "true", LitBool, types.Bool, true},
		{"bool literal form", "bool(false)", LitBool, types.Bool, false},
		{"string", `"a\tb"`, LitString, types.String, "a\tb"},
		{"datetime", "datetime(2020-01-02 03:04:05)", LitDatetime, types.Datetime,
			date("2020-01-02T03:04:05Z")},
		{"datetime quoted", `datetime("2015-12-14")`, LitDatetime, types.Datetime, date("2015-12-14")},
		{"datetime one-digit month", "datetime(1970-5-12)", LitDatetime, types.Datetime,
			date("1970-05-12")},
		{"timespan", "90m", LitTimespan, types.Timespan, 90 * types.Minute},
		{"fractional timespan", "1.5h", LitTimespan, types.Timespan, 90 * types.Minute},
		{"time form", "time(1.02:03:04)", LitTimespan, types.Timespan,
			types.Day + 2*types.Hour + 3*types.Minute + 4*types.Second},
		{"guid", "guid(74be27de-1e4e-49d9-b579-fe0b331d3642)", LitGuid, types.Guid,
			uuid.MustParse("74be27de-1e4e-49d9-b579-fe0b331d3642")},
		{"typed null", "int(null)", LitNull, types.Int, nil},
		{"dynamic null", "dynamic(null)", LitNull, types.Dynamic, nil},
		{"dynamic", `dynamic({"a": [1, -2.5, datetime(2020-01-01), null], 'b': dynamic({})})`,
			LitDynamic, types.Dynamic, bag},
		{"dynamic adjacent strings", `dynamic(["a" // no comma
			"b", "c"])`, LitDynamic, types.Dynamic, []any{"ab", "c"}},
		{"dynamic scalar", "dynamic(7)", LitDynamic, types.Dynamic, int64(7)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, err := ParseExpr(NewSource("q", tc.in))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			lit, ok := x.(*Literal)
			if !ok {
				t.Fatalf("got %T, want *Literal", x)
			}
			if lit.Kind != tc.kind || lit.Type != tc.typ {
				t.Errorf("kind/type = %d/%s, want %d/%s", lit.Kind, lit.Type, tc.kind, tc.typ)
			}
			if !sameValue(lit.Value, tc.value) {
				t.Errorf("value = %#v, want %#v", lit.Value, tc.value)
			}
		})
	}
}

func sameValue(a, b any) bool {
	if da, ok := a.(decimal.Decimal); ok {
		db, ok := b.(decimal.Decimal)
		return ok && da.Equal(db)
	}
	if ba, ok := a.(*types.Bag); ok {
		bb, ok := b.(*types.Bag)
		return ok && types.FormatDynamic(ba) == types.FormatDynamic(bb)
	}
	return reflect.DeepEqual(a, b)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"missing operand", "T | where x ==", `1:15: expected an expression, found end of query`},
		{"unknown operator", "T | wher x", `1:5: expected a tabular operator, found "wher"`},
		{"keywords are case-sensitive", "T | WHERE x", `1:5: expected a tabular operator, found "WHERE"`},
		{"unclosed call", "print f(1, 2", `1:13: expected ")", found end of query`},
		{"missing by", "T | top 5 x", `1:11: expected "by", found "x"`},
		{"join without on", "T | join U x", `1:12: expected "on", found "x"`},
		{"bad datetime", "print datetime(yesterday)",
			`1:7: expected a datetime value, found "yesterday"`},
		{"bad type", "let f = (a: strin) { a }; f(1)",
			`1:13: expected a scalar type name, found "strin"`},
		{"trailing junk", "T | count )", `1:11: expected ";" or end of query, found ")"`},
		{"second line", "T\n| where a >\n| count", `3:1: expected an expression, found "|"`},
		{"missing let name", "let = 5", `1:5: expected a name after let, found "="`},
		{"in needs parentheses", "print a in b", `1:12: expected "(", found "b"`},
		{"end of a file", "T\n| top 3\n\n// done\n", `2:8: expected "by", found end of query`},
		{"find alone", "find", `1:5: expected a predicate, as in find "text" or find where Col == 1, ` +
			`found end of query`},
		{"search alone", "search\n| count", `2:1: expected a search predicate, as in search "text" ` +
			`or search Col == 1, found "|"`},
		{"union alone", "union;", `1:6: expected a table to union, found ";"`},
		{"empty in list", "T | where x !in~ ()", `1:19: expected an expression, found ")"`},
		{"empty has_any list", "T | where x has_any ( )", `1:23: expected an expression, found ")"`},
		{"too deep", "print " + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300),
			"1:106: expected at most 200 levels of nesting, found more"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := NewSource("q", tc.in)
			_, err := Parse(src)
			list, ok := err.(ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("got error %v, want %s", err, tc.want)
			}
			line, col := src.Position(list[0].Span.Start)
			if got := fmt.Sprintf("%d:%d: %s", line, col, list[0].Msg); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestParseRecovers checks that an error in one statement does not hide an
// error in the next, and that the partial tree keeps the good statements.
func TestParseRecovers(t *testing.T) {
	src := NewSource("q", "let a = (1; let b = 2; T | where x == | count; print c")
	script, err := Parse(src)
	list, _ := err.(ErrorList)
	if len(list) != 2 {
		t.Fatalf("got %d errors (%v), want 2", len(list), err)
	}
	if n := len(script.Stmts); n != 4 {
		t.Errorf("got %d statements, want 4", n)
	}
}

package sema

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/schema"
	"github.com/huntql/huntql/internal/syntax"
)

// nameRule is how Kusto names the column of an unnamed call of a function
// (Kusto.Language's ResultNameKind). A function without a rule gives no
// name: the column becomes ColumnN (print_N in print), or the bare prefix
// when the call is an aggregate's argument (make_set(tolower(x)) is set_).
type nameRule struct {
	kind   nameKind
	prefix string
}

type nameKind uint8

const (
	// nameFirstArg takes the first argument's name: tostring(b.z) is b_z.
	nameFirstArg nameKind = iota + 1
	// nameOnlyArg takes the argument's name when there is exactly one.
	nameOnlyArg
	// namePrefixFirstArg is prefix_ and the first argument's name: strlen_x.
	namePrefixFirstArg
	// namePrefixOnly is the prefix alone.
	namePrefixOnly
	// nameFirstArgIfColumn is the first argument's string value, for
	// column_ifexists("name", default).
	nameFirstArgIfColumn
)

// scalarNames holds the naming rules of scalar functions, as Kusto's
// analyzer declares them.
var scalarNames = func() map[string]nameRule {
	m := map[string]nameRule{
		"strlen": {namePrefixFirstArg, "strlen"}, "string_size": {namePrefixFirstArg, "string_size"},
		"dcount_hll":                {namePrefixFirstArg, "dcount_hll"},
		"percentile_tdigest":        {namePrefixFirstArg, "percentile_tdigest"},
		"percentiles_array_tdigest": {namePrefixFirstArg, "percentile_tdigest"},
		"gettype":                   {namePrefixFirstArg, "type"},
		"repeat":                    {namePrefixFirstArg, "repeat"},
		"treepath":                  {namePrefixFirstArg, "tree"},
		"hll_merge":                 {namePrefixOnly, "hll_merged_result"},
		"tdigest_merge":             {namePrefixOnly, "tdigests_merge_result"},
		"merge_tdigest":             {namePrefixOnly, "tdigests_merge_result"},
		"ingestion_time":            {namePrefixOnly, "$IngestionTime"},
		"make_datetime":             {kind: nameOnlyArg},
		"make_timespan":             {kind: nameOnlyArg},
		"column_ifexists":           {kind: nameFirstArgIfColumn},
		"columnifexists":            {kind: nameFirstArgIfColumn},
	}
	for _, name := range strings.Fields(`abs acos asin atan atan2 bin bin_at binary_and
		binary_not binary_or binary_shift_left binary_shift_right binary_xor bitset_count_ones
		bin_auto ceiling cos erf erfc exp exp10 exp2 floor format_bytes format_datetime format_timespan
		gamma log log10 log2 loggamma parse_csv parse_json parse_xml parsejson pow rand round
		sin split sqrt startofday tan tobool toboolean todatetime todecimal todouble todynamic
		toguid tohex toint tolong toobject toreal tostring totime totimespan
		series_fill_backward series_fill_const series_fill_forward series_fill_linear
		series_fir series_iir series_outliers`) {
		m[name] = nameRule{kind: nameFirstArg}
	}
	return m
}()

// aggNames holds the naming rules of aggregates: count() is count_,
// dcount(DeviceId) dcount_DeviceId, make_set(x) set_x, take_any(x) x.
var aggNames = func() map[string]nameRule {
	m := map[string]nameRule{
		"make_set": {namePrefixFirstArg, "set"}, "make_set_if": {namePrefixFirstArg, "set"},
		"makeset": {namePrefixFirstArg, "set"}, "make_list": {namePrefixFirstArg, "list"},
		"make_list_if": {namePrefixFirstArg, "list"}, "makelist": {namePrefixFirstArg, "list"},
		"make_list_with_nulls": {namePrefixFirstArg, "list"},
		"make_bag":             {namePrefixFirstArg, "bag"}, "make_bag_if": {namePrefixFirstArg, "bag"},
		"make_dictionary": {namePrefixFirstArg, "dictionary"},
		"buildschema":     {namePrefixFirstArg, "schema"},
		"merge_tdigest":   {namePrefixFirstArg, "merge_tdigests"},
		"tdigest_merge":   {namePrefixFirstArg, "merge_tdigests"},
		"take_anyif":      {kind: nameFirstArg},
		"binary_all_and":  {kind: nameFirstArg},
		"binary_all_or":   {kind: nameFirstArg},
		"binary_all_xor":  {kind: nameFirstArg},
	}
	for _, name := range strings.Fields(`any anyif avg avgif cnt count count_distinct
		count_distinctif countif covariance covarianceif covariancep covariancepif dcount
		dcountif hll hll_if hll_merge max maxif min minif stdev stdevif stdevp stdevpif sum
		sumif tdigest variance varianceif variancep variancepif`) {
		m[name] = nameRule{namePrefixFirstArg, name}
	}
	return m
}()

// exprName returns the column name Kusto gives an unnamed expression, or ""
// when it gives none (Column1, print_0 and the like are assigned by the caller).
func exprName(e syntax.Expr) string {
	switch e := e.(type) {
	case *syntax.Ident:
		return e.Name
	case *syntax.ParenExpr:
		return exprName(e.X)
	case *syntax.NamedArg:
		// bin(Name = Timestamp, 1h) names the column Name.
		return e.Name.Name
	case *syntax.MemberExpr:
		if x := exprName(e.X); x != "" {
			return x + "_" + e.Name.Name
		}
		return e.Name.Name
	case *syntax.IndexExpr:
		x := exprName(e.X)
		key := ""
		if lit, ok := e.Index.(*syntax.Literal); ok {
			switch v := lit.Value.(type) {
			case string:
				key = v
			case int64:
				key = strconv.FormatInt(v, 10)
			case int32:
				key = strconv.FormatInt(int64(v), 10)
			}
		}
		if x != "" && key != "" {
			return x + "_" + key
		}
		if key != "" {
			return key
		}
		return x
	case *syntax.CallExpr:
		if _, ok := windowFuncs[e.Fun.Name]; ok {
			return ""
		}
		rule, ok := scalarNames[e.Fun.Name]
		if !ok {
			rule = aggNames[e.Fun.Name]
		}
		return ruleName(rule, e)
	}
	return ""
}

// ruleName applies a naming rule to a call.
func ruleName(rule nameRule, call *syntax.CallExpr) string {
	switch rule.kind {
	case nameFirstArg:
		if len(call.Args) > 0 {
			return exprName(call.Args[0])
		}
	case nameOnlyArg:
		if len(call.Args) == 1 {
			return exprName(call.Args[0])
		}
	case namePrefixFirstArg:
		if len(call.Args) > 0 {
			return rule.prefix + "_" + exprName(call.Args[0])
		}
		return rule.prefix + "_"
	case namePrefixOnly:
		return rule.prefix
	case nameFirstArgIfColumn:
		if len(call.Args) > 0 {
			if lit, ok := call.Args[0].(*syntax.Literal); ok {
				if s, ok := lit.Value.(string); ok {
					return s
				}
			}
		}
	}
	return ""
}

// keyName names a summarize by-key as any unnamed expression is named: a
// column keeps its name, as does bin(x, 1h) or tostring(x); other
// expressions get ColumnN.
func keyName(e syntax.Expr) string { return exprName(e) }

// aggName names the single output of an unnamed aggregate call, "" when
// Kusto gives it none.
func aggName(call *syntax.CallExpr) string {
	name := call.Fun.Name
	if rule, ok := aggNames[name]; ok {
		return ruleName(rule, call)
	}
	arg := ""
	if len(call.Args) > 0 {
		arg = exprName(call.Args[0])
	}
	out := name + "_" + arg
	if (name == "percentile" || name == "percentilew") && len(call.Args) > 1 {
		if lit, ok := call.Args[len(call.Args)-1].(*syntax.Literal); ok {
			out += "_" + strings.ReplaceAll(lit.Raw, ".", "_")
		}
	}
	return out
}

// argExtremePrefix maps arg_max, arg_min and their deprecated forms argmax
// and argmin to the prefix of the names Kusto derives for their outputs.
var argExtremePrefix = map[string]string{
	"arg_max": "max", "arg_min": "min", "argmax": "max", "argmin": "min",
}

// argExtremeName names output j of an arg_max-like aggregate whose arguments
// have the names argNames ("" for an expression without one). arg_max(x, y)
// yields x and y, while argmax(x, y) yields max_x and max_x_y; an argument
// without a name is max_ (the extremum) or max_x_arg2 (the third argument).
func argExtremeName(fn string, argNames []string, j int) string {
	prefix := argExtremePrefix[fn]
	deprecated := fn == "argmax" || fn == "argmin"
	name0 := ""
	if len(argNames) > 0 {
		name0 = argNames[0]
	}
	own := ""
	if j < len(argNames) {
		own = argNames[j]
	}
	switch {
	case j == 0 && own != "" && !deprecated:
		return own
	case j == 0:
		return prefix + "_" + name0
	case own == "":
		return fmt.Sprintf("%s_%s_arg%d", prefix, name0, j)
	case deprecated:
		return prefix + "_" + name0 + "_" + own
	}
	return own
}

// namer hands out unique column names for an output schema, renaming
// repeats as Kusto does (Timestamp, Timestamp1, ...).
type namer struct {
	used     map[string]bool
	base     map[string]bool // the input's names, which ColumnN skips
	declared map[string]bool // names given explicitly or by a plain column
	next     int             // for Column1, Column2, ...
}

func newNamer(existing column.Schema) *namer {
	n := &namer{used: map[string]bool{}, base: map[string]bool{}, declared: map[string]bool{}}
	for _, f := range existing {
		n.used[f.Name] = true
		n.base[f.Name] = true
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

// declare names an output column: an explicit name or a plain column
// reference (explicit) may not repeat another such name, and reports
// false when it does; any other repeat gets a numeric suffix, as Kusto
// names project abs(x), x as x and x1.
func (n *namer) declare(name string, explicit bool) (string, bool) {
	if explicit {
		if n.declared[name] {
			return name, false
		}
		n.declared[name] = true
	}
	return n.unique(name), true
}

// column returns the next default name ColumnN, skipping the input's names
// but not the names given in the same operator (Kusto names
// project Column1=1, tolower(s) as Column1 and Column11); callers make it
// unique.
func (n *namer) column() string {
	for {
		n.next++
		c := fmt.Sprintf("Column%d", n.next)
		if !n.base[c] {
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
// name, else Kusto's name for its expression, else the next ColumnN. The
// name is not yet made unique.
func itemName(it *syntax.Assign, nm *namer) string {
	if len(it.Names) == 1 {
		return it.Names[0].Name
	}
	if name := exprName(it.Value); name != "" {
		return name
	}
	return nm.column()
}

// isExplicit reports whether an item names its column explicitly or is a
// plain column reference, whose repeats are errors rather than renamed.
func isExplicit(it *syntax.Assign) bool {
	if len(it.Names) > 0 {
		return true
	}
	_, ok := unparen(it.Value).(*syntax.Ident)
	return ok
}

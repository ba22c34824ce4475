package sema

import (
	"strconv"
	"strings"

	"github.com/huntql/huntql/internal/syntax"
)

// percentileAggs maps each percentile aggregate to the index of its first
// percentage argument and whether it yields one array.
var percentileAggs = map[string]struct {
	first int
	array bool
}{
	"percentile": {1, false}, "percentiles": {1, false}, "percentiles_array": {1, true},
	"percentilew": {2, false}, "percentilesw": {2, false}, "percentilesw_array": {2, true},
}

// percentileName names output j of an unnamed percentile aggregate as Kusto
// does: percentile_x_50 for each literal percentage (a dot becomes _, and a
// percentage that is not a literal leaves percentile_x_), and percentiles_x
// for the array forms. It returns "" for other aggregates.
func percentileName(call *syntax.CallExpr, j int) string {
	rule, ok := percentileAggs[call.Fun.Name]
	if !ok || len(call.Args) == 0 {
		return ""
	}
	arg := exprName(call.Args[0])
	if rule.array {
		return "percentiles_" + arg
	}
	name := "percentile_" + arg + "_"
	if i := rule.first + j; i < len(call.Args) {
		if lit, ok := unparen(call.Args[i]).(*syntax.Literal); ok {
			name += strings.ReplaceAll(literalNumber(lit), ".", "_")
		}
	}
	return name
}

// literalNumber writes a numeric literal by its value, as Kusto names
// percentiles: 50.0 is 50 and 1e1 is 10. Other literals give "".
func literalNumber(lit *syntax.Literal) string {
	switch v := lit.Value.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

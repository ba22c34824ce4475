package sema

import (
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
// does: percentile_x_50 for each percentage (a dot becomes _), and
// percentiles_x for the array forms. It returns "" for other aggregates.
func percentileName(call *syntax.CallExpr, j int) string {
	rule, ok := percentileAggs[call.Fun.Name]
	if !ok || len(call.Args) == 0 {
		return ""
	}
	arg := exprName(call.Args[0])
	if rule.array {
		return "percentiles_" + arg
	}
	name := "percentile_" + arg
	if i := rule.first + j; i < len(call.Args) {
		if lit, ok := call.Args[i].(*syntax.Literal); ok {
			name += "_" + strings.ReplaceAll(lit.Raw, ".", "_")
		}
	}
	return name
}

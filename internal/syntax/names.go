package syntax

import "sort"

// OperatorNames returns the names of the tabular operators the parser knows
// (written after '|'), sorted, for tools such as completion.
func OperatorNames() []string {
	out := make([]string, 0, len(operatorNames))
	for name := range operatorNames {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

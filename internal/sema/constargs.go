package sema

import (
	"strings"

	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
)

// enumArgs lists scalar-function arguments that take one of a fixed set of
// literal words, as Kusto.Language checks them ("The expression must be one
// of the values: normal or regex"): the argument's index and its values.
var enumArgs = map[string]struct {
	index  int
	values []string
}{
	"countof": {2, []string{"normal", "regex"}},
}

// checkEnumArgs reports a constant argument of name that is not one of the
// words its function accepts. Arguments that are not constants are left to
// the function, which treats an unknown word as null.
func (a *analyzer) checkEnumArgs(name string, e *syntax.CallExpr, args []plan.Expr) bool {
	spec, ok := enumArgs[name]
	if !ok || spec.index >= len(args) {
		return true
	}
	c, ok := args[spec.index].(*plan.Const)
	if !ok {
		return true
	}
	s, ok := c.Value.(string)
	if !ok {
		return true
	}
	for _, v := range spec.values {
		if s == v {
			return true
		}
	}
	a.errorf(e.Args[spec.index], "%s() argument %d: expected one of %s, found %q", name,
		spec.index+1, strings.Join(spec.values, " or "), s)
	return false
}

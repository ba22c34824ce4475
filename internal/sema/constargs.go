package sema

import (
	"strings"

	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
)

// constChoice names an argument that, when it is a constant, must be one of
// a fixed set of words, as Kusto checks the period of datetime_add(), the
// part of datetime_part() (both case-insensitively) and the kind of
// countof() (exactly: Kusto.Language rejects "Regex").
type constChoice struct {
	arg           int
	values        []string
	caseSensitive bool
}

var (
	datetimePeriods = []string{"year", "quarter", "month", "week", "day", "hour", "minute",
		"second", "millisecond", "microsecond", "nanosecond"}
	datetimeParts = []string{"year", "quarter", "month", "week_of_year", "day", "dayofyear",
		"hour", "minute", "second", "millisecond", "microsecond", "nanosecond"}
)

// constChoices lists the functions whose constant arguments are checked.
var constChoices = map[string]constChoice{
	"datetime_add":  {0, datetimePeriods, false},
	"datetime_diff": {0, datetimePeriods, false},
	"datetime_part": {0, datetimeParts, false},
	"datepart":      {0, datetimeParts, false},
	"countof":       {2, []string{"normal", "regex"}, true},
}

// constNonEmpty lists the functions whose constant string argument at the
// given position must not be empty: a format of nothing is an error.
var constNonEmpty = map[string]int{"format_datetime": 1, "format_timespan": 1}

// checkConstChoice reports a constant argument of a call that is not one of
// the words its function accepts, or an empty constant format. Arguments
// computed at run time are not checked; the function yields null for a word
// it does not know.
func (a *analyzer) checkConstChoice(name string, e *syntax.CallExpr, args []plan.Expr) bool {
	if i, ok := constNonEmpty[name]; ok && i < len(args) {
		if c, ok := args[i].(*plan.Const); ok && c.Value == "" {
			a.errorf(e.Args[i], "%s(): expected a format, found an empty string", name)
			return false
		}
	}
	cc, ok := constChoices[name]
	if !ok || cc.arg >= len(args) {
		return true
	}
	c, ok := args[cc.arg].(*plan.Const)
	if !ok {
		return true
	}
	s, ok := c.Value.(string)
	if !ok {
		return true
	}
	for _, v := range cc.values {
		if s == v || !cc.caseSensitive && strings.EqualFold(s, v) {
			return true
		}
	}
	last := len(cc.values) - 1
	want := strings.Join(cc.values[:last], ", ") + " or " + cc.values[last]
	a.errorf(e.Args[cc.arg], "%s(): expected one of %s, found %q", name, want, s)
	return false
}

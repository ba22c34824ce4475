package functions

import "strings"

// This file gives vectorized evaluators in package exec typed access to the
// string operators, so that a kernel matching a column against a constant
// applies exactly the semantics the operators' Eval functions do.

// stringPred is one of the string operators registered in stringops.go.
type stringPred struct {
	f    func(s, t string, fold bool) bool
	fold bool
}

// stringPreds holds the string operators by name (without the "!" of
// their negations); stringops.go fills it.
var stringPreds = map[string]stringPred{}

// StringMatcher returns the string operator op (contains, !has_cs,
// startswith, =~, !~, ...) with its right operand fixed to t, as a function
// of the left operand: for every string s, match(s) equals the operator's
// Eval(s, t). ok is false when op is not such an operator.
func StringMatcher(op, t string) (match func(s string) bool, ok bool) {
	switch op {
	case "=~":
		return func(s string) bool { return equalFoldString(s, t) }, true
	case "!~":
		return func(s string) bool { return !strings.EqualFold(s, t) }, true
	}
	negate := strings.HasPrefix(op, "!")
	p, ok := stringPreds[strings.TrimPrefix(op, "!")]
	if !ok {
		return nil, false
	}
	f := p.f
	if !p.fold {
		return func(s string) bool { return f(s, t, false) != negate }, true
	}
	// applyStringOp lower-cases both sides when either is not ASCII.
	if !isASCII(t) {
		lower := strings.ToLower(t)
		return func(s string) bool { return f(strings.ToLower(s), lower, true) != negate }, true
	}
	lower := strings.ToLower(t)
	return func(s string) bool {
		if !isASCII(s) {
			return f(strings.ToLower(s), lower, true) != negate
		}
		return f(s, t, true) != negate
	}, true
}

package functions

import "testing"

// TestStringMatcherMatchesOperators checks StringMatcher against the
// operators' own evaluators over ASCII, mixed-case and non-ASCII text.
func TestStringMatcherMatchesOperators(t *testing.T) {
	texts := []string{"", "a", "A", "ConnectionFailed", "connection failed", "Müller",
		"MÜLLER", "straße", "STRASSE", "ﬁle", "İstanbul", "istanbul", "-enc x", "https://a/b",
		"σίσυφος", "ΣΊΣΥΦΟΣ", "x\xffy"}
	var ops []string
	for name := range stringPreds {
		ops = append(ops, name, "!"+name)
	}
	ops = append(ops, "=~", "!~")
	for _, op := range ops {
		eval, ok := LookupBinary(op)
		if !ok {
			t.Fatalf("no operator %s", op)
		}
		for _, needle := range texts {
			match, ok := StringMatcher(op, needle)
			if !ok {
				t.Fatalf("no matcher for %s", op)
			}
			for _, s := range texts {
				if got, want := match(s), eval.Eval(s, needle); got != want {
					t.Errorf("%q %s %q: matcher %v, operator %v", s, op, needle, got, want)
				}
			}
		}
	}
	if _, ok := StringMatcher("==", "x"); ok {
		t.Error("== is not a string matcher")
	}
}

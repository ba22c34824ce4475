package functions

import (
	"math"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

func date(s string) types.Date {
	d, ok := types.ParseDatetime(s)
	if !ok {
		panic("bad test datetime " + s)
	}
	return d
}

// same reports whether got equals want in value and Go type.
func same(got, want any) bool {
	if f, ok := want.(float64); ok && math.IsNaN(f) {
		g, ok := got.(float64)
		return ok && math.IsNaN(g)
	}
	if types.TypeOf(got) != types.TypeOf(want) {
		return false
	}
	if d, ok := want.(decimal.Decimal); ok {
		return d.Equal(got.(decimal.Decimal))
	}
	return types.FormatDynamic(got) == types.FormatDynamic(want) && (got == nil) == (want == nil)
}

func TestBinaryEval(t *testing.T) {
	tests := []struct {
		name string
		op   string
		l, r any
		want any
	}{
		{"long plus long", "+", int64(1), int64(2), int64(3)},
		{"int plus int is long", "+", int32(1), int32(2), int64(3)},
		{"long overflow wraps", "+", int64(math.MaxInt64), int64(1), int64(math.MinInt64)},
		{"long plus real", "+", int64(1), 0.5, 1.5},
		{"integer division truncates", "/", int64(1), int64(2), int64(0)},
		{"negative division truncates toward zero", "/", int64(-7), int64(2), int64(-3)},
		{"real division", "/", 1.0, int64(2), 0.5},
		{"integer division by zero is null", "/", int64(1), int64(0), nil},
		{"real division by zero is infinity", "/", 1.0, 0.0, math.Inf(1)},
		{"modulo plus plus", "%", int64(14), int64(12), int64(2)},
		{"modulo minus plus", "%", int64(-14), int64(12), int64(10)},
		{"modulo plus minus", "%", int64(14), int64(-12), int64(2)},
		{"modulo minus minus", "%", int64(-14), int64(-12), int64(10)},
		{"modulo by zero is null", "%", int64(1), int64(0), nil},
		{"min long div minus one", "/", int64(math.MinInt64), int64(-1), int64(math.MinInt64)},
		{"null operand", "+", nil, int64(1), nil},
		{"datetime minus datetime", "-", date("2020-01-02"), date("2020-01-01"), types.Day},
		{"datetime plus timespan", "+", date("2020-01-01"), types.Hour,
			date("2020-01-01T01:00:00Z")},
		{"timespan plus datetime", "+", types.Hour, date("2020-01-01"),
			date("2020-01-01T01:00:00Z")},
		{"datetime minus timespan", "-", date("2020-01-01"), types.Day, date("2019-12-31")},
		{"datetime out of range is null", "-", types.Date(0), types.Day, nil},
		{"timespan times long", "*", types.Second, int64(5), 5 * types.Second},
		{"long times timespan", "*", int64(2), types.Minute, 2 * types.Minute},
		{"timespan times real", "*", types.Second, 2.5, 25 * types.Second / 10},
		{"timespan over timespan", "/", 10 * types.Minute, types.Second, 600.0},
		{"timespan over long", "/", types.Minute, int64(2), 30 * types.Second},
		{"timespan over zero", "/", types.Minute, int64(0), nil},
		{"decimal plus long", "+", decimal.NewFromInt(1), int64(2), decimal.NewFromInt(3)},
		{"dynamic string not a number", "+", "1", int64(1), nil},
		{"equal across numeric types", "==", int64(1), 1.0, true},
		{"equal int and long", "==", int32(1), int64(1), true},
		{"equal strings case-sensitive", "==", "aBc", "abc", false},
		{"null equals null is null", "==", nil, nil, nil},
		{"null equals value is false", "==", nil, int64(5), false},
		{"null not equal value is true", "!=", nil, int64(5), true},
		{"null not equal null is null", "!=", nil, nil, nil},
		{"dynamic string equals datetime", "==", "2020-01-01", date("2020-01-01"), true},
		{"arrays equal", "==", []any{int64(1)}, []any{int64(1)}, true},
		{"guid equal", "==", uuid.Nil, uuid.Nil, true},
		{"less than", "<", int64(1), int64(10), true},
		{"less than mixed", "<", int32(1), 0.5, false},
		{"timespans ordered", "<", 10 * types.Second, types.Hour, true},
		{"greater datetimes", ">", date("2021-01-01"), date("2020-01-01"), true},
		{"strings ordinal", "<", "B", "a", true},
		{"null compares to null", ">", nil, int64(3), nil},
		{"NaN is unordered", "<", math.NaN(), 1.0, false},
		{"greater or equal", ">=", int64(5), int64(4), true},
		{"equal fold", "=~", "abc", "ABC", true},
		{"not equal fold", "!~", "aBc", "xyz", true},
		{"equal fold unicode", "=~", "ÄB", "äb", true},
		{"and true true", "and", true, true, true},
		{"and null false", "and", nil, false, false},
		{"and null true", "and", nil, true, nil},
		{"or null true", "or", nil, true, true},
		{"or null false", "or", nil, false, nil},
		{"or false false", "or", false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			op, ok := LookupBinary(tc.op)
			if !ok {
				t.Fatalf("operator %q not registered", tc.op)
			}
			got := op.Eval(tc.l, tc.r)
			if tc.op == "<" && tc.name == "NaN is unordered" {
				if got != nil && got != false {
					t.Fatalf("got %v, want false or null", got)
				}
				return
			}
			if !same(got, tc.want) {
				t.Fatalf("%v %s %v = %#v, want %#v", tc.l, tc.op, tc.r, got, tc.want)
			}
		})
	}
}

func TestStringOperators(t *testing.T) {
	tests := []struct {
		name string
		l    any
		op   string
		r    any
		want bool
	}{
		// The examples of the string operators doc page, each yielding true.
		{"has doc", "North America", "has", "america", true},
		{"!has doc", "North America", "!has", "amer", true},
		{"has_cs doc", "North America", "has_cs", "America", true},
		{"!has_cs doc", "North America", "!has_cs", "amer", true},
		{"hasprefix doc", "North America", "hasprefix", "ame", true},
		{"!hasprefix doc", "North America", "!hasprefix", "mer", true},
		{"hasprefix_cs doc", "North America", "hasprefix_cs", "Ame", true},
		{"!hasprefix_cs doc", "North America", "!hasprefix_cs", "CA", true},
		{"hassuffix doc", "North America", "hassuffix", "ica", true},
		{"!hassuffix doc", "North America", "!hassuffix", "americ", true},
		{"hassuffix_cs doc", "North America", "hassuffix_cs", "ica", true},
		{"!hassuffix_cs doc", "North America", "!hassuffix_cs", "icA", true},
		{"contains doc", "FabriKam", "contains", "BRik", true},
		{"!contains doc", "Fabrikam", "!contains", "xyz", true},
		{"contains_cs doc", "FabriKam", "contains_cs", "Kam", true},
		{"!contains_cs doc", "Fabrikam", "!contains_cs", "Kam", true},
		{"startswith doc", "Fabrikam", "startswith", "fab", true},
		{"!startswith doc", "Fabrikam", "!startswith", "kam", true},
		{"startswith_cs doc", "Fabrikam", "startswith_cs", "Fab", true},
		{"!startswith_cs doc", "Fabrikam", "!startswith_cs", "fab", true},
		{"endswith doc", "Fabrikam", "endswith", "Kam", true},
		{"!endswith doc", "Fabrikam", "!endswith", "brik", true},
		{"endswith_cs doc", "Fabrikam", "endswith_cs", "kam", true},
		{"matches regex doc", "Fabrikam", "matches regex", "b.*k", true},
		// Term rules: terms are maximal runs of ASCII alphanumerics.
		{"has guid part", "Kusto:  ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;;WilliamGates3rd",
			"has", "c1db", true},
		{"has whole term only", "WilliamGates3rd", "has", "Gates", false},
		{"has needle with punctuation", "cmd.exe /c whoami", "has", "cmd.exe", true},
		{"has punctuated needle needs term edges", "xcmd.exe", "has", "cmd.exe", false},
		{"has punctuated needle at end", "c:\\windows\\cmd.exe", "has", "\\cmd.exe", true},
		{"has is case-insensitive", "PowerShell.EXE", "has", "powershell", true},
		{"has_cs is case-sensitive", "PowerShell", "has_cs", "powershell", false},
		{"has empty needle", "abc", "has", "", true},
		{"has in empty string", "", "has", "a", false},
		{"contains empty needle", "", "contains", "", true},
		{"hasprefix mid term", "North America", "hasprefix", "orth", false},
		{"hassuffix mid term", "North America", "hassuffix", "ort", false},
		{"contains unicode fold", "ÄBC", "contains", "äb", true},
		{"non-string operand", int64(12345), "contains", "234", true},
		{"null dynamic operand", nil, "contains", "a", false},
		{"null dynamic operand negated", nil, "!has", "a", true},
		{"endswith longer needle", "ab", "endswith", "xab", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			op := tc.op
			b, ok := LookupBinary(op)
			if !ok {
				t.Fatalf("operator %q not registered", op)
			}
			if got := b.Eval(tc.l, tc.r); got != tc.want {
				t.Fatalf("%q %s %q = %v, want %v", tc.l, op, tc.r, got, tc.want)
			}
		})
	}
}

func TestHasAnyAll(t *testing.T) {
	tests := []struct {
		name  string
		s     string
		terms []string
		any   bool
		all   bool
	}{
		{"doc example", "North America", []string{"south", "north"}, true, false},
		{"all present", "cmd.exe /c whoami", []string{"whoami", "CMD"}, true, true},
		{"none", "abc", []string{"b"}, false, false},
		{"empty list", "abc", nil, false, true},
		{"unicode text", "Grüße Welt", []string{"welt"}, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := HasAny(tc.s, tc.terms); got != tc.any {
				t.Errorf("HasAny = %v, want %v", got, tc.any)
			}
			if got := HasAll(tc.s, tc.terms); got != tc.all {
				t.Errorf("HasAll = %v, want %v", got, tc.all)
			}
		})
	}
}

func TestInSet(t *testing.T) {
	tests := []struct {
		name string
		x    any
		list []any
		fold bool
		want bool
	}{
		{"doc in", "abc", []any{"123", "345", "abc"}, false, true},
		{"doc in~", "abc", []any{"123", "345", "ABC"}, true, true},
		{"case-sensitive miss", "abc", []any{"ABC"}, false, false},
		{"numbers across types", int32(1), []any{1.0}, false, true},
		{"dynamic array element flattened", "b", []any{[]any{"a", "b"}}, false, true},
		{"null never in", nil, []any{nil}, false, false},
		{"null elements skipped", int64(1), []any{nil, int64(1)}, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := InSet(tc.x, tc.list, tc.fold); got != tc.want {
				t.Fatalf("InSet = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCompareTotalOrder(t *testing.T) {
	vals := []any{nil, true, false, int64(3), int32(2), 2.5, math.NaN(), "b", "a",
		date("2020-01-01"), types.Hour, uuid.Nil, []any{int64(1)}, types.NewBag()}
	for _, a := range vals {
		if Compare(a, a) != 0 && !isNaN(a) {
			t.Errorf("Compare(%v, %v) != 0", a, a)
		}
		for _, b := range vals {
			if Compare(a, b) != -Compare(b, a) {
				t.Errorf("Compare(%v, %v) not antisymmetric", a, b)
			}
		}
	}
}

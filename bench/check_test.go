package bench

import (
	"strings"
	"testing"
	"time"
)

func TestCompareTables(t *testing.T) {
	q := Query{Name: "q", Approx: []string{"n"}}
	want := [][]string{{"k", "t", "n"},
		{"a", "2025-05-07T01:00:00.0000000Z", "1000"},
		{"b", "", "7"}}
	tests := []struct {
		name string
		got  [][]string
		diff string // a substring of the difference; "" for none
	}{
		{"same", want, ""},
		{"other order", [][]string{want[0], want[2], want[1]}, ""},
		{"datetime printed another way",
			[][]string{want[0], {"a", "2025-05-07T01:00:00Z", "1000"}, want[2]}, ""},
		{"estimate within tolerance",
			[][]string{want[0], {"a", "2025-05-07T01:00:00.0000000Z", "1020"}, want[2]}, ""},
		{"estimate too far",
			[][]string{want[0], {"a", "2025-05-07T01:00:00.0000000Z", "1030"}, want[2]},
			"n = 1030, want 1000"},
		{"small count must be exact", [][]string{want[0], want[1], {"b", "", "8"}},
			"n = 8, want 7"},
		{"missing row", [][]string{want[0], want[1]}, `1 rows, want 2; missing {k: "b"`},
		{"extra row", [][]string{want[0], want[1], want[2], {"c", "", "1"}},
			`extra {k: "c"`},
		{"changed cell", [][]string{want[0], want[1], {"b", "x", "7"}}, `row {k: "b", t: "x"`},
		{"other columns", [][]string{{"k", "t", "m"}}, "columns k,t,m, want k,t,n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := compareTables(q, want, tt.got)
			switch {
			case tt.diff == "" && d != "":
				t.Errorf("got difference %q, want none", d)
			case tt.diff != "" && !strings.Contains(d, tt.diff):
				t.Errorf("got difference %q, want one containing %q", d, tt.diff)
			}
		})
	}
}

func TestOrderProblem(t *testing.T) {
	q := Query{Ordered: "n"}
	if d := orderProblem(q, [][]string{{"n"}, {"3"}, {"3"}, {"1"}}); d != "" {
		t.Errorf("non-increasing column: got %q, want none", d)
	}
	if d := orderProblem(q, [][]string{{"n"}, {"3"}, {"4"}}); !strings.Contains(d, "row 2") {
		t.Errorf("increasing column: got %q, want a problem at row 2", d)
	}
}

func TestCheckReference(t *testing.T) {
	q := Query{Name: "q"}
	good := [][]string{{"a"}, {"1"}}
	bad := [][]string{{"a"}, {"2"}}
	results := []*Result{
		{Query: q, Target: Target{Huntql, JSONLines}, Output: bad},
		{Query: q, Target: Target{DuckDB, Native}, Output: good},
		{Query: q, Target: Target{DuckDB, CSV}, Output: good},
		{Query: q, Target: Target{Huntql, Store}, Err: ErrNoStore},
		{Query: q, Target: Target{Huntql, CSV}, Output: good, Changed: "run 2: 2 rows"},
	}
	ms := Check(results)
	if len(ms) != 2 || ms[0].Target != (Target{Huntql, JSONLines}) ||
		ms[0].Reference != (Target{DuckDB, Native}) ||
		ms[1].Target != (Target{Huntql, CSV}) || ms[1].Reference != ms[1].Target {
		t.Fatalf("Check = %v, want huntql/jsonl against duckdb/native "+
			"and huntql/csv against itself", ms)
	}
}

func TestFormatValue(t *testing.T) {
	ts := time.Date(2025, 5, 7, 16, 16, 30, 224009900, time.UTC)
	tests := []struct {
		in   any
		want string
	}{
		{nil, ""},
		{ts, "2025-05-07T16:16:30.2240099Z"},
		{true, "true"},
		{int64(-3), "-3"},
		{int32(7), "7"},
		{1.5, "1.5"},
		{[]byte("x"), "x"},
	}
	for _, tt := range tests {
		if got := formatValue(tt.in); got != tt.want {
			t.Errorf("formatValue(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMedian(t *testing.T) {
	s := time.Second
	if got := Median([]time.Duration{3 * s, 1 * s, 2 * s}); got != 2*s {
		t.Errorf("odd: got %v", got)
	}
	if got := Median([]time.Duration{4 * s, 1 * s, 2 * s, 3 * s}); got != 2500*time.Millisecond {
		t.Errorf("even: got %v", got)
	}
}

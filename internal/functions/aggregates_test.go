package functions

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

	"github.com/huntql/huntql/internal/types"
)

func runAgg(t *testing.T, name string, argTypes []types.Type, rows [][]any) []any {
	t.Helper()
	a, ok := LookupAggregate(name)
	if !ok {
		t.Fatalf("aggregate %s not registered", name)
	}
	if _, err := a.Result(argTypes); err != nil {
		t.Fatalf("%s%v: %v", name, argTypes, err)
	}
	acc := a.New(argTypes)
	for _, r := range rows {
		acc.Add(r)
	}
	return acc.Result()
}

func TestAggregates(t *testing.T) {
	L, R, S, B := types.Long, types.Real, types.String, types.Bool
	col := func(vs ...any) [][]any {
		out := make([][]any, len(vs))
		for i, v := range vs {
			out[i] = []any{v}
		}
		return out
	}
	tests := []struct {
		name  string
		fn    string
		types []types.Type
		rows  [][]any
		want  string
	}{
		{"count", "count", nil, [][]any{{}, {}, {}}, "[3]"},
		{"countif", "countif", []types.Type{B}, col(true, nil, false, true), "[2]"},
		{"sum ignores nulls", "sum", []types.Type{L}, col(int64(1), nil, int64(2)), "[3]"},
		{"sum of nothing", "sum", []types.Type{L}, col(nil), "[null]"},
		{"sum of int is long", "sum", []types.Type{types.Int}, col(int32(1), int32(2)), "[3]"},
		{"sum reals", "sum", []types.Type{R}, col(0.5, 0.25), "[0.75]"},
		{"sum timespans", "sum", []types.Type{types.Timespan}, col(types.Hour, types.Hour),
			`["02:00:00"]`},
		{"avg", "avg", []types.Type{L}, col(int64(1), int64(2)), "[1.5]"},
		{"avg empty", "avg", []types.Type{L}, nil, "[null]"},
		{"min", "min", []types.Type{L}, col(int64(3), nil, int64(-1)), "[-1]"},
		{"max strings", "max", []types.Type{S}, col("a", "c", "b"), `["c"]`},
		{"maxif", "maxif", []types.Type{L, B}, [][]any{{int64(9), false}, {int64(2), true}},
			"[2]"},
		{"stdev", "stdev", []types.Type{L}, col(int64(2), int64(4), int64(4), int64(4),
			int64(5), int64(5), int64(7), int64(9)), "[2.138089935299395]"},
		{"stdevp", "stdevp", []types.Type{L}, col(int64(2), int64(4), int64(4), int64(4),
			int64(5), int64(5), int64(7), int64(9)), "[2]"},
		{"variance single", "variance", []types.Type{L}, col(int64(5)), "[0]"},
		{"dcount", "dcount", []types.Type{S}, col("a", "b", "a", nil, "c"), "[3]"},
		{"dcount numbers unify", "dcount", []types.Type{L}, col(int64(1), int32(1), 1.0), "[1]"},
		{"dcountif", "dcountif", []types.Type{S, B}, [][]any{{"a", true}, {"b", false}}, "[1]"},
		{"make_set", "make_set", []types.Type{L}, col(int64(1), int64(5), int64(1), nil),
			"[[1,5]]"},
		{"make_set flattens arrays doc", "make_set", []types.Type{types.Dynamic},
			col([]any{"A1", "A2", "A3"}, []any{"A2", "C1"}, []any{"C2", "A3"}, []any{"C2", "A1"}),
			`[["A1","A2","A3","C1","C2"]]`},
		{"make_set max size", "make_set", []types.Type{L, L},
			[][]any{{int64(1), int64(1)}, {int64(2), int64(1)}}, "[[1]]"},
		{"make_list keeps order and dups", "make_list", []types.Type{S}, col("b", "a", "b"),
			`[["b","a","b"]]`},
		{"make_list_with_nulls doc", "make_list_with_nulls", []types.Type{L},
			col(nil, int64(4), int64(4)), "[[null,4,4]]"},
		{"make_list_if", "make_list_if", []types.Type{S, B}, [][]any{{"a", true}, {"b", nil}},
			`[["a"]]`},
		{"make_bag", "make_bag", []types.Type{types.Dynamic},
			col(jsonOf(t, `{"a":1}`), jsonOf(t, `{"a":2,"b":2}`), "x"), `[{"a":1,"b":2}]`},
		{"arg_max first tie wins", "arg_max", []types.Type{L, S},
			[][]any{{int64(1), "a"}, {int64(3), "b"}, {nil, "n"}, {int64(3), "c"}}, `[3,"b"]`},
		{"arg_min", "arg_min", []types.Type{L, S}, [][]any{{int64(1), "a"}, {int64(0), "z"}},
			`[0,"z"]`},
		{"arg_max no rows", "arg_max", []types.Type{L, S}, nil, `[null,null]`},
		{"arg_max all null keeps first row", "arg_max", []types.Type{L, S},
			[][]any{{nil, "Yellow"}, {nil, "Green"}}, `[null,"Yellow"]`},
		{"count of a non-bool counts nulls", "count", []types.Type{types.Real},
			col(nil, 5.0), "[2]"},
		{"take_any", "take_any", []types.Type{S}, col("x", "y"), `["x"]`},
		{"percentile nearest rank", "percentile", []types.Type{L, L},
			[][]any{{int64(1), int64(50)}, {int64(2), int64(50)}, {int64(3), int64(50)},
				{int64(4), int64(50)}}, "[2]"},
		{"percentiles", "percentiles", []types.Type{L, L, L},
			[][]any{{int64(10), int64(0), int64(100)}, {int64(20), int64(0), int64(100)}},
			"[10,20]"},
		{"binary_all_or", "binary_all_or", []types.Type{L}, col(int64(1), int64(4)), "[5]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(types.AppendJSON(nil, runAgg(t, tc.fn, tc.types, tc.rows)))
			if got != tc.want {
				t.Fatalf("%s = %s, want %s", tc.fn, got, tc.want)
			}
		})
	}
}

func TestDcountLarge(t *testing.T) {
	for _, n := range []int{1000, 100_000} {
		a, _ := LookupAggregate("dcount")
		acc := a.New([]types.Type{types.Long})
		for i := 0; i < n; i++ {
			acc.Add([]any{int64(i % n)})
			acc.Add([]any{int64(i % n)})
		}
		got := acc.Result()[0].(int64)
		if diff := float64(got-int64(n)) / float64(n); diff > 0.03 || diff < -0.03 {
			t.Errorf("dcount of %d distinct = %d, off by %.1f%%", n, got, diff*100)
		}
	}
}

func TestHLLRoundTrip(t *testing.T) {
	h := runAgg(t, "hll", []types.Type{types.String},
		[][]any{{"a"}, {"b"}, {"a"}})[0]
	if got := call(t, "dcount_hll", h); got != int64(2) {
		t.Fatalf("dcount_hll(hll) = %v, want 2", got)
	}
	merged := runAgg(t, "hll_merge", []types.Type{types.Dynamic}, [][]any{{h}, {h}})[0]
	if got := call(t, "dcount_hll", merged); got != int64(2) {
		t.Fatalf("dcount_hll(hll_merge) = %v, want 2", got)
	}
}

// sampleValues holds a value of every representation, including odd ones.
var sampleValues = []any{nil, true, int32(-1), int64(0), int64(-1 << 63), 1.5, -0.0,
	"", "abc", "2020-01-01", "1", types.Date(0), types.MaxDatetime, types.Duration(-1),
	uuid.Nil, []any{}, []any{nil, int64(1)}, types.NewBag(), types.Int}

// TestNeverPanics calls every scalar function, operator and aggregate with
// argument lists drawn from sampleValues.
func TestNeverPanics(t *testing.T) {
	ctx := &Context{}
	for _, name := range ScalarNames() {
		f, _ := LookupScalar(name)
		hi := f.MaxArgs
		if hi < 0 || hi > 4 {
			hi = 4
		}
		for n := f.MinArgs; n <= hi; n++ {
			for i, v := range sampleValues {
				args := make([]any, n)
				for k := range args {
					args[k] = sampleValues[(i+k*7)%len(sampleValues)]
				}
				if n > 0 {
					args[0] = v
				}
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("%s%v panicked: %v", name, args, r)
						}
					}()
					f.Eval(ctx, args)
				}()
			}
		}
	}
	for _, op := range []string{"+", "-", "*", "/", "%", "==", "!=", "<", ">=", "=~", "!~",
		"and", "or", "has", "contains", "!hasprefix", "matches regex", "endswith_cs"} {
		b, _ := LookupBinary(op)
		for _, l := range sampleValues {
			for _, r := range sampleValues {
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Errorf("%v %s %v panicked: %v", l, op, r, p)
						}
					}()
					b.Eval(l, r)
				}()
			}
		}
	}
	for _, name := range AggregateNames() {
		a, _ := LookupAggregate(name)
		n := max(a.MinArgs, 1)
		ts := make([]types.Type, n)
		for i := range ts {
			ts[i] = types.Dynamic
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("aggregate %s panicked: %v", name, p)
				}
			}()
			acc := a.New(ts)
			for i := range sampleValues {
				args := make([]any, n)
				for k := range args {
					args[k] = sampleValues[(i+k)%len(sampleValues)]
				}
				acc.Add(args)
			}
			acc.Result()
		}()
	}
}

// sharedDir locates the shared reference folder: $HUNTQL_SHARED or
// ../shared relative to the repository root.
func sharedDir(t *testing.T) string {
	if d := os.Getenv("HUNTQL_SHARED"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared")
}

func TestCatalogCoverage(t *testing.T) {
	path := filepath.Join(sharedDir(t), "catalog", "kusto-catalog.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("kusto catalog not available at %s: %v", path, err)
	}
	var cat struct {
		Functions  []struct{ Name string } `json:"functions"`
		Aggregates []struct{ Name string } `json:"aggregates"`
	}
	if err := json.Unmarshal(data, &cat); err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	count := func(names []struct{ Name string }, has func(string) bool) (int, []string) {
		n := 0
		var missing []string
		for _, f := range names {
			if has(f.Name) {
				n++
			} else {
				missing = append(missing, f.Name)
			}
		}
		return n, missing
	}
	ns, _ := count(cat.Functions, func(s string) bool { _, ok := LookupScalar(s); return ok })
	na, missing := count(cat.Aggregates, func(s string) bool {
		_, ok := LookupAggregate(s)
		return ok
	})
	t.Logf("scalar functions: %d/%d, aggregates: %d/%d", ns, len(cat.Functions), na,
		len(cat.Aggregates))
	t.Logf("aggregates missing: %s", fmt.Sprint(missing))
}

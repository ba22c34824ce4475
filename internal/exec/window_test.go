package exec

import (
	"reflect"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

func vec(t types.Type, vals ...any) *column.Vector {
	v := column.New(t, len(vals))
	for _, x := range vals {
		v.Append(x)
	}
	return v
}

func values(v *column.Vector) []any {
	out := make([]any, v.Len())
	for i := range out {
		out[i] = v.Value(i)
	}
	return out
}

// TestWindowColumnEdges checks window functions on nulls, offsets out of
// range and restarts, as the Kusto docs define them.
func TestWindowColumnEdges(t *testing.T) {
	d := func(m int64) types.Date { return types.Date(m * 60 * 10_000_000) }
	min := func(m int64) types.Duration { return types.Duration(m * 60 * 10_000_000) }
	tests := []struct {
		name string
		fn   string
		typ  types.Type
		args []*column.Vector
		want []any
	}{
		{"prev of nulls", "prev", types.Long,
			[]*column.Vector{vec(types.Long, nil, int64(2), nil)},
			[]any{nil, nil, int64(2)}},
		{"prev offset 0 is the row", "prev", types.Long,
			[]*column.Vector{vec(types.Long, int64(1), int64(2)), vec(types.Long, int64(0), int64(0))},
			[]any{int64(1), int64(2)}},
		{"next past the end takes the default", "next", types.String,
			[]*column.Vector{vec(types.String, "a", "b"), vec(types.Long, int64(5), int64(5)),
				vec(types.String, "z", "z")},
			[]any{"z", "z"}},
		{"prev null offset is null", "prev", types.Long,
			[]*column.Vector{vec(types.Long, int64(1), int64(2)), vec(types.Long, nil, nil)},
			[]any{nil, nil}},
		{"row_number restarts", "row_number", types.Long,
			[]*column.Vector{vec(types.Long, int64(0), int64(0), int64(0)),
				vec(types.Bool, false, true, nil)},
			[]any{int64(0), int64(0), int64(1)}},
		{"row_cumsum skips nulls", "row_cumsum", types.Long,
			[]*column.Vector{vec(types.Long, nil, int64(2), nil, int64(3))},
			[]any{int64(0), int64(2), int64(2), int64(5)}},
		{"row_rank_dense treats null as a value", "row_rank_dense", types.Long,
			[]*column.Vector{vec(types.Long, nil, nil, int64(1), int64(1))},
			[]any{int64(1), int64(1), int64(2), int64(2)}},
		{"row_rank_min restarts", "row_rank_min", types.Long,
			[]*column.Vector{vec(types.String, "a", "a", "b", "b"),
				vec(types.Bool, false, false, true, false)},
			[]any{int64(1), int64(1), int64(1), int64(1)}},
		{"row_window_session null starts anew", "row_window_session", types.Datetime,
			[]*column.Vector{vec(types.Datetime, d(0), nil, d(1), d(2)),
				vec(types.Timespan, min(60), min(60), min(60), min(60)),
				vec(types.Timespan, min(5), min(5), min(5), min(5))},
			[]any{d(0), nil, d(1), d(1)}},
		{"row_window_session distance limits are inclusive", "row_window_session",
			types.Datetime,
			[]*column.Vector{vec(types.Datetime, d(0), d(4), d(8), d(10), d(15)),
				vec(types.Timespan, min(10), min(10), min(10), min(10), min(10)),
				vec(types.Timespan, min(5), min(5), min(5), min(5), min(5))},
			[]any{d(0), d(0), d(0), d(10), d(15)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &plan.WindowCall{Name: tc.fn, T: tc.typ}
			got := values(windowColumn(c, tc.args, tc.args[0].Len()))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

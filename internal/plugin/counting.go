package plugin

import (
	"fmt"
	"sort"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/types"
)

func init() {
	Register(&Plugin{Name: "dcount_intersect", Bind: bindDcountIntersect,
		Run: runDcountIntersect})
	Register(&Plugin{Name: "sliding_window_counts", Bind: bindSlidingWindow,
		Run: runSlidingWindow})
}

func bindDcountIntersect(b *Binding) (*Bound, error) {
	if len(b.Args) < 2 || len(b.Args) > 16 {
		return nil, argErrorf(-1, "expected 2 to 16 hll() values, found %d arguments",
			len(b.Args))
	}
	out := append(column.Schema(nil), b.Input...)
	for i, a := range b.Args {
		if a.Type != types.Dynamic || a.IsTable() {
			return nil, argErrorf(i, "expected a dynamic hll() value, found %s", a.Type)
		}
		out = append(out, column.Field{Name: fmt.Sprintf("s%d", i), Type: types.Long})
	}
	return &Bound{Out: out}, nil
}

// runDcountIntersect appends s0..sn-1 to every input row.
func runDcountIntersect(r *Run) (*Output, error) {
	in := r.Input
	bld := newBuilder(r.Bound.Out)
	vals := make([]any, len(r.Args))
	for i := 0; i < in.N(); i++ {
		for c := range in.Schema {
			bld.copyCol(c, in.Rows.Cols[c], i)
		}
		for k := range r.Args {
			vals[k] = r.Args[k].At(i)
		}
		counts, ok := functions.DcountIntersect(vals)
		for k := range r.Args {
			c := len(in.Schema) + k
			if ok {
				bld.cols[c].Append(counts[k])
			} else {
				bld.cols[c].AppendNull()
			}
		}
		bld.n++
	}
	return bld.table(), nil
}

// window is the analysis timeline of the activity plugins: Start, End and
// Bin over a datetime (or numeric) timeline column.
type window struct {
	start, end, step int64
	t                types.Type
}

// timelineArgs reads the column, start, end and step arguments at the given
// positions.
func timelineArgs(b *Binding, col, start, end, step int) (window, error) {
	var w window
	if b.Args[col].Col < 0 {
		return w, argErrorf(col, "expected the timeline column of the input")
	}
	w.t = b.Args[col].Type
	if !timeline(w.t) {
		return w, argErrorf(col, "expected a datetime, timespan or integer timeline column, "+
			"found %s", w.t)
	}
	known := true
	for _, i := range []int{start, end, step} {
		if s, isStr := b.Args[i].Value.(string); isStr || b.Args[i].Type == types.String {
			return w, argErrorf(i, "calendar bins ('%s') are not supported yet; give a "+
				"timespan", s)
		}
		what := w.t.String()
		if i == step {
			what = "bin size"
		}
		n, ok, err := constTicks(b, i, what)
		if err != nil {
			return w, err
		}
		known = known && ok
		switch i {
		case start:
			w.start = n
		case end:
			w.end = n
		case step:
			w.step = n
		}
	}
	if !known {
		return w, nil // checked again when the values are known
	}
	if w.step <= 0 {
		return w, argErrorf(step, "the bin must be positive")
	}
	return w, nil
}

// ticks returns a datetime, timespan or integer value as an int64.
func ticks(v any) (int64, bool) {
	switch x := v.(type) {
	case types.Date:
		return int64(x), true
	case types.Duration:
		return int64(x), true
	case int64:
		return x, true
	case int32:
		return int64(x), true
	}
	return 0, false
}

// timelineValue turns ticks back into a value of the timeline type.
func timelineValue(n int64, t types.Type) any {
	switch t {
	case types.Datetime:
		return types.Date(n)
	case types.Timespan:
		return types.Duration(n)
	case types.Int:
		return int32(n)
	}
	return n
}

// binOf returns the start of the bin (aligned at w.start) holding v.
func (w window) binOf(v int64) int64 {
	d := v - w.start
	q := d / w.step
	if d%w.step < 0 {
		q--
	}
	return w.start + q*w.step
}

// periods returns the bin starts from start to end inclusive.
func (w window) periods() []int64 {
	var out []int64
	for t := w.start; t <= w.end && len(out) < 1_000_000; t += w.step {
		out = append(out, t)
	}
	return out
}

// dims groups the input rows by the dimension columns at the given
// argument positions; it returns each group's rows in input order.
func dims(r *Run, from int) (keys [][]int, groups [][]int) {
	var cols []int
	for _, a := range r.Binding.Args[from:] {
		if a.Col >= 0 { // a trailing table (new_activity_metrics's lookback) is no dimension
			cols = append(cols, a.Col)
		}
	}
	index := map[string]int{}
	for i := 0; i < r.Input.N(); i++ {
		k := rowKey(r.Input.Rows.Cols, cols, i)
		g, ok := index[k]
		if !ok {
			g = len(groups)
			index[k] = g
			groups = append(groups, nil)
			keys = append(keys, []int{i})
		}
		groups[g] = append(groups[g], i)
	}
	return keys, groups
}

// dimSchema returns the columns of the dimension arguments from position from.
func dimSchema(b *Binding, from int) (column.Schema, error) {
	var out column.Schema
	for i := from; i < len(b.Args); i++ {
		if b.Args[i].Col < 0 {
			return nil, argErrorf(i, "expected a dimension column of the input")
		}
		out = append(out, b.Input[b.Args[i].Col])
	}
	return out, nil
}

func bindSlidingWindow(b *Binding) (*Bound, error) {
	if len(b.Args) < 6 {
		return nil, argErrorf(-1, "expected IdColumn, TimelineColumn, Start, End, "+
			"LookbackWindow, Bin and optional dimensions, found %d arguments", len(b.Args))
	}
	if b.Args[0].Col < 0 {
		return nil, argErrorf(0, "expected the id column of the input")
	}
	if _, err := timelineArgs(b, 1, 2, 3, 5); err != nil {
		return nil, err
	}
	if _, _, err := constTicks(b, 4, "lookback window"); err != nil {
		return nil, err
	}
	d, err := dimSchema(b, 6)
	if err != nil {
		return nil, err
	}
	out := column.Schema{b.Input[b.Args[1].Col]}
	out = append(out, d...)
	out = append(out, column.Field{Name: "Count", Type: types.Long},
		column.Field{Name: "Dcount", Type: types.Long})
	return &Bound{Out: out}, nil
}

// runSlidingWindow counts, for each period and dimension combination, the
// rows and distinct ids whose bin lies within the lookback window ending
// with that period.
func runSlidingWindow(r *Run) (*Output, error) {
	w, err := timelineArgs(r.Binding, 1, 2, 3, 5)
	if err != nil {
		return nil, err
	}
	lookback, _ := ticks(r.Binding.Args[4].Value)
	lookback -= lookback % w.step // a lookback that is no multiple of the bin rounds down
	ids, times := r.Args[0], r.Args[1]
	keys, groups := dims(r, 6)
	bld := newBuilder(r.Bound.Out)
	ndim := len(r.Binding.Args) - 6
	for g, rows := range groups {
		// Rows by bin, then a sliding pass over the periods.
		byBin := map[int64][]int{}
		for _, i := range rows {
			t, ok := ticks(times.At(i))
			if !ok {
				continue
			}
			byBin[w.binOf(t)] = append(byBin[w.binOf(t)], i)
		}
		bins := make([]int64, 0, len(byBin))
		for b := range byBin {
			bins = append(bins, b)
		}
		sort.Slice(bins, func(a, b int) bool { return bins[a] < bins[b] })
		for _, p := range w.periods() {
			var count int64
			distinct := map[string]bool{}
			for _, b := range bins {
				if b > p || b <= p-lookback {
					continue
				}
				for _, i := range byBin[b] {
					count++
					distinct[fmt.Sprintf("%T:%v", ids.At(i), ids.At(i))] = true
				}
			}
			row := []any{timelineValue(p, w.t)}
			for d := 0; d < ndim; d++ {
				row = append(row, r.Input.Rows.Cols[r.Binding.Args[6+d].Col].Value(keys[g][0]))
			}
			row = append(row, count, int64(len(distinct)))
			bld.add(row...)
		}
	}
	return bld.table(), nil
}

// timeline reports whether t can be binned into periods: datetime,
// timespan or an integer.
func timeline(t types.Type) bool {
	switch t {
	case types.Datetime, types.Timespan, types.Int, types.Long:
		return true
	}
	return false
}

package plugin

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

func init() {
	Register(&Plugin{Name: "rolling_percentile", Bind: bindRollingPercentile,
		Run: runRollingPercentile})
	Register(&Plugin{Name: "sequence_detect", Bind: bindSequenceDetect,
		Run: runSequenceDetect})
}

// maxSequences bounds the sequences sequence_detect reports per dimension
// combination, as every combination of matching steps is one.
const maxSequences = 100_000

func bindRollingPercentile(b *Binding) (*Bound, error) {
	if len(b.Args) < 5 {
		return nil, argErrorf(-1, "expected ValueColumn, Percentile, IndexColumn, BinSize, "+
			"BinsPerWindow and optional dimensions, found %d arguments", len(b.Args))
	}
	v := b.Args[0]
	if v.Col < 0 || !numeric(v.Type) && v.Type != types.Timespan {
		return nil, argErrorf(0, "expected a numeric or timespan column of the input")
	}
	if !b.Args[1].Const || !numeric(b.Args[1].Type) {
		return nil, argErrorf(1, "expected a constant percentile")
	}
	if b.Args[2].Col < 0 || !timeline(b.Args[2].Type) {
		return nil, argErrorf(2, "expected a datetime, timespan or integer index column of "+
			"the input")
	}
	if _, _, err := constTicks(b, 3, "bin size"); err != nil {
		return nil, err
	}
	if _, _, err := constCount(b, 4); err != nil {
		return nil, err
	}
	d, err := dimSchema(b, 5)
	if err != nil {
		return nil, err
	}
	name := "rolling_percentile"
	if b.Args[4].Known && b.Args[1].Known {
		pct := strings.ReplaceAll(formatCell(b.Args[1].Value), ".", "_")
		name = fmt.Sprintf("rolling_%s_percentile_%s_%s", formatCell(b.Args[4].Value),
			b.Input[v.Col].Name, pct)
	}
	out := column.Schema{b.Input[b.Args[2].Col]}
	// The nearest-rank percentile is one of the values, so it keeps their
	// type, as Kusto.Language types it.
	out = append(append(out, d...), column.Field{Name: name, Type: v.Type})
	return &Bound{Out: out}, nil
}

// rankedValue is a value of rolling_percentile with the number it sorts by.
type rankedValue struct {
	key float64
	v   any
}

// rankKey returns the number a numeric or timespan value sorts by.
func rankKey(v any) (float64, bool) {
	if d, ok := v.(types.Duration); ok {
		return float64(d), true
	}
	return toFloat(v)
}

func numeric(t types.Type) bool {
	switch t {
	case types.Int, types.Long, types.Real, types.Decimal:
		return true
	}
	return false
}

// runRollingPercentile computes, for each bin from the first to the last
// of each dimension combination, the nearest-rank percentile of the values
// in the window of BinsPerWindow bins ending with it.
func runRollingPercentile(r *Run) (*Output, error) {
	pct, _ := toFloat(r.Binding.Args[1].Value)
	size, _, err := constTicks(r.Binding, 3, "bin size")
	if err != nil {
		return nil, err
	}
	if size <= 0 {
		return nil, fmt.Errorf("the bin size must be positive")
	}
	window, _, _ := constCount(r.Binding, 4)
	idxType := r.Binding.Args[2].Type
	keys, groups := dims(r, 5)
	bld := newBuilder(r.Bound.Out)
	for g, rows := range groups {
		byBin := map[int64][]rankedValue{}
		lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
		for _, i := range rows {
			x, ok := ticks(r.Args[2].At(i))
			v := r.Args[0].At(i)
			key, okv := rankKey(v)
			if !ok || !okv {
				continue
			}
			bin := floorDiv(x, size) * size
			byBin[bin] = append(byBin[bin], rankedValue{key, v})
			lo, hi = min(lo, bin), max(hi, bin)
		}
		for bin := lo; bin <= hi && lo <= hi; bin += size {
			var vals []rankedValue
			for k := int64(0); k < window; k++ {
				vals = append(vals, byBin[bin-k*size]...)
			}
			var res any
			if len(vals) > 0 {
				sort.SliceStable(vals, func(i, j int) bool { return vals[i].key < vals[j].key })
				rank := int(math.Ceil(pct / 100 * float64(len(vals))))
				res = vals[min(max(rank, 1), len(vals))-1].v
			}
			row := append([]any{timelineValue(bin, idxType)}, dimValues(r, 5, keys[g][0])...)
			bld.add(append(row, res)...)
		}
	}
	return bld.table(), nil
}

// toFloat returns a numeric value as a float64.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	}
	if d, ok := conform(v, types.Real).(float64); ok {
		return d, true
	}
	return 0, false
}

// sequenceArgs are sequence_detect's arguments: the timeline, the windows,
// the step predicates (named arguments) and the dimensions.
type sequenceArgs struct {
	steps []int // argument indexes of the predicates
	dims  []int // argument indexes of the dimension columns
}

func parseSequenceDetect(b *Binding) (*sequenceArgs, error) {
	if len(b.Args) < 4 {
		return nil, argErrorf(-1, "expected TimelineColumn, MaxSequenceStepWindow, "+
			"MaxSequenceSpan, step predicates and optional dimensions, found %d arguments",
			len(b.Args))
	}
	if b.Args[0].Col < 0 || !timeline(b.Args[0].Type) {
		return nil, argErrorf(0, "expected a datetime, timespan or integer timeline column "+
			"of the input")
	}
	for _, i := range []int{1, 2} {
		if _, _, err := constTicks(b, i, "timespan"); err != nil {
			return nil, err
		}
	}
	p := &sequenceArgs{}
	for i := 3; i < len(b.Args); i++ {
		a := b.Args[i]
		switch {
		case a.Type == types.Bool && len(p.dims) == 0 && a.Col < 0:
			p.steps = append(p.steps, i)
		case a.Col >= 0:
			p.dims = append(p.dims, i)
		default:
			return nil, argErrorf(i, "expected a bool step predicate or a dimension column")
		}
	}
	if len(p.steps) == 0 {
		return nil, argErrorf(-1, "expected at least one step predicate, as e1=(Col == 'x')")
	}
	return p, nil
}

// stepName returns the name of step predicate i: its argument name, or
// Expr<k> for an unnamed one.
func stepName(b *Binding, i, k int) string {
	if b.Args[i].Name != "" {
		return b.Args[i].Name
	}
	return fmt.Sprintf("Expr%d", k+1)
}

func bindSequenceDetect(b *Binding) (*Bound, error) {
	p, err := parseSequenceDetect(b)
	if err != nil {
		return nil, err
	}
	var out column.Schema
	for _, i := range p.dims {
		out = append(out, b.Input[b.Args[i].Col])
	}
	tl := b.Input[b.Args[0].Col]
	for k, i := range p.steps {
		out = append(out, column.Field{Name: stepName(b, i, k) + "_" + tl.Name, Type: tl.Type})
	}
	return &Bound{Out: append(out, column.Field{Name: "Duration", Type: types.Timespan})}, nil
}

// runSequenceDetect reports, per dimension combination, every sequence of
// rows (in time order) matching the steps in turn, each step within the
// step window of the previous and the whole within the span.
func runSequenceDetect(r *Run) (*Output, error) {
	p, err := parseSequenceDetect(r.Binding)
	if err != nil {
		return nil, err
	}
	step, _, _ := constTicks(r.Binding, 1, "timespan")
	span, _, _ := constTicks(r.Binding, 2, "timespan")
	in := r.Input
	var dimCols []int
	for _, i := range p.dims {
		dimCols = append(dimCols, r.Binding.Args[i].Col)
	}
	bld := newBuilder(r.Bound.Out)
	groupOf := map[string][]int{}
	var order []string
	for i := 0; i < in.N(); i++ {
		k := rowKey(in.Rows.Cols, dimCols, i)
		if _, ok := groupOf[k]; !ok {
			order = append(order, k)
		}
		groupOf[k] = append(groupOf[k], i)
	}
	for _, k := range order {
		rows := groupOf[k]
		times := map[int]int64{}
		var timed []int
		for _, i := range rows {
			if t, ok := ticks(r.Args[0].At(i)); ok {
				times[i] = t
				timed = append(timed, i)
			}
		}
		sort.SliceStable(timed, func(a, b int) bool { return times[timed[a]] < times[timed[b]] })
		matches := func(s, i int) bool {
			v, _ := r.Args[p.steps[s]].At(i).(bool)
			return v
		}
		found := 0
		seq := make([]int, len(p.steps))
		var extend func(s, from int)
		extend = func(s, from int) {
			if found >= maxSequences {
				return
			}
			if s == len(p.steps) {
				found++
				row := make([]any, 0, len(r.Bound.Out))
				for _, c := range dimCols {
					row = append(row, in.Rows.Cols[c].Value(seq[0]))
				}
				for _, i := range seq {
					row = append(row, r.Input.Rows.Cols[r.Binding.Args[0].Col].Value(i))
				}
				d := times[seq[len(seq)-1]] - times[seq[0]]
				bld.add(append(row, types.Duration(d))...)
				return
			}
			for j := from; j < len(timed); j++ {
				i := timed[j]
				if s > 0 {
					prev := times[seq[s-1]]
					if times[i]-prev > step {
						break
					}
					if times[i]-times[seq[0]] > span {
						break
					}
				}
				if matches(s, i) {
					seq[s] = i
					extend(s+1, j+1)
				}
			}
		}
		extend(0, 0)
	}
	return bld.table(), nil
}

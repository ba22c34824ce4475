package plugin

import (
	"fmt"
	"math"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// This file holds the user-analytics plugins: activity_counts_metrics,
// activity_metrics, new_activity_metrics, activity_engagement and
// active_users_count. They bin a timeline column into periods from Start
// to End and count distinct ids per period and dimension combination.

func init() {
	Register(&Plugin{Name: "activity_counts_metrics", Bind: bindActivity(countsMetricsCols),
		Run: runCountsMetrics})
	Register(&Plugin{Name: "activity_metrics", Bind: bindActivity(activityMetricsCols),
		Run: runActivityMetrics})
	Register(&Plugin{Name: "new_activity_metrics", Bind: bindNewActivity,
		Run: runNewActivity})
	Register(&Plugin{Name: "activity_engagement", Bind: bindEngagement, Run: runEngagement})
	Register(&Plugin{Name: "active_users_count", Bind: bindActiveUsers, Run: runActiveUsers})
}

var (
	countsMetricsCols = column.Schema{{Name: "count", Type: types.Long},
		{Name: "dcount", Type: types.Long}, {Name: "new_dcount", Type: types.Long},
		{Name: "aggregated_dcount", Type: types.Long}}
	activityMetricsCols = column.Schema{{Name: "dcount_values", Type: types.Long},
		{Name: "dcount_newvalues", Type: types.Long}, {Name: "retention_rate", Type: types.Real},
		{Name: "churn_rate", Type: types.Real}}
	newActivityCols = column.Schema{{Name: "dcount_new_values", Type: types.Long},
		{Name: "dcount_retained_values", Type: types.Long},
		{Name: "dcount_churn_values", Type: types.Long},
		{Name: "retention_rate", Type: types.Real}, {Name: "churn_rate", Type: types.Real}}
	engagementCols = column.Schema{{Name: "dcount_activities_inner", Type: types.Long},
		{Name: "dcount_activities_outer", Type: types.Long},
		{Name: "activity_ratio", Type: types.Real}}
)

// idSet is a set of distinct ids.
type idSet map[string]bool

func idKey(v any) string { return fmt.Sprintf("%T:%v", v, v) }

// idColumn checks that argument 0 is the id column.
func idColumn(b *Binding) error {
	if len(b.Args) < 2 {
		return argErrorf(-1, "expected IdColumn and TimelineColumn arguments")
	}
	if b.Args[0].Col < 0 {
		return argErrorf(0, "expected the id column of the input")
	}
	return nil
}

// bindActivity binds Plugin(IdColumn, TimelineColumn, Start, End, Window
// [, dim, ...]) whose output is the timeline, the dimensions and metrics.
func bindActivity(metrics column.Schema) func(b *Binding) (*Bound, error) {
	return func(b *Binding) (*Bound, error) {
		if len(b.Args) < 5 {
			return nil, argErrorf(-1, "expected IdColumn, TimelineColumn, Start, End, "+
				"Window and optional dimensions, found %d arguments", len(b.Args))
		}
		if err := idColumn(b); err != nil {
			return nil, err
		}
		if _, err := timelineArgs(b, 1, 2, 3, 4); err != nil {
			return nil, err
		}
		d, err := dimSchema(b, 5)
		if err != nil {
			return nil, err
		}
		out := column.Schema{b.Input[b.Args[1].Col]}
		out = append(append(out, d...), metrics...)
		return &Bound{Out: out}, nil
	}
}

// periodSets returns, for the rows of one dimension group, the ids and the
// row count of each period.
func periodSets(r *Run, w window, rows []int) ([]idSet, []int64) {
	periods := w.periods()
	sets := make([]idSet, len(periods))
	counts := make([]int64, len(periods))
	for i := range sets {
		sets[i] = idSet{}
	}
	for _, i := range rows {
		t, ok := ticks(r.Args[1].At(i))
		id := r.Args[0].At(i)
		if !ok || id == nil || t < w.start {
			continue
		}
		k := int((w.binOf(t) - w.start) / w.step)
		if k >= len(periods) {
			continue
		}
		sets[k][idKey(id)] = true
		counts[k]++
	}
	return sets, counts
}

// dimValues returns the dimension values (arguments from position from on)
// of input row i.
func dimValues(r *Run, from, i int) []any {
	var out []any
	for _, a := range r.Binding.Args[from:] {
		if a.Col >= 0 {
			out = append(out, r.Input.Rows.Cols[a.Col].Value(i))
		}
	}
	return out
}

func runCountsMetrics(r *Run) (*Output, error) {
	w, err := timelineArgs(r.Binding, 1, 2, 3, 4)
	if err != nil {
		return nil, err
	}
	keys, groups := dims(r, 5)
	bld := newBuilder(r.Bound.Out)
	for g, rows := range groups {
		sets, counts := periodSets(r, w, rows)
		seen := idSet{}
		for k, p := range w.periods() {
			var fresh int64
			for id := range sets[k] {
				if !seen[id] {
					fresh++
					seen[id] = true
				}
			}
			row := append([]any{timelineValue(p, w.t)}, dimValues(r, 5, keys[g][0])...)
			row = append(row, counts[k], int64(len(sets[k])), fresh, int64(len(seen)))
			bld.add(row...)
		}
	}
	return bld.table(), nil
}

func runActivityMetrics(r *Run) (*Output, error) {
	w, err := timelineArgs(r.Binding, 1, 2, 3, 4)
	if err != nil {
		return nil, err
	}
	keys, groups := dims(r, 5)
	bld := newBuilder(r.Bound.Out)
	for g, rows := range groups {
		sets, _ := periodSets(r, w, rows)
		for k, p := range w.periods() {
			// A new value is one the previous period lacks (the page: "IDs
			// that didn't appear in previous time window"), unlike
			// activity_counts_metrics, which compares with all earlier
			// periods; so the retention rate is (dcount_values -
			// dcount_newvalues) / the previous period's dcount_values.
			var fresh int64
			for id := range sets[k] {
				if k == 0 || !sets[k-1][id] {
					fresh++
				}
			}
			retention, churn := math.NaN(), math.NaN()
			if k > 0 && len(sets[k-1]) > 0 {
				kept := 0
				for id := range sets[k-1] {
					if sets[k][id] {
						kept++
					}
				}
				retention = float64(kept) / float64(len(sets[k-1]))
				churn = 1 - retention
			}
			row := append([]any{timelineValue(p, w.t)}, dimValues(r, 5, keys[g][0])...)
			row = append(row, int64(len(sets[k])), fresh, retention, churn)
			bld.add(row...)
		}
	}
	return bld.table(), nil
}

// newActivityArgs are new_activity_metrics's optional arguments: a cohort,
// dimensions and a lookback table, told apart by kind.
type newActivityArgs struct {
	cohort    any // nil for all cohorts
	dimFrom   int
	lookback  int // argument index of the lookback table, -1 if none
	dimSchema column.Schema
}

func parseNewActivity(b *Binding) (*newActivityArgs, error) {
	if len(b.Args) < 5 {
		return nil, argErrorf(-1, "expected IdColumn, TimelineColumn, Start, End, Window, "+
			"optional Cohort, dimensions and Lookback, found %d arguments", len(b.Args))
	}
	if err := idColumn(b); err != nil {
		return nil, err
	}
	if _, err := timelineArgs(b, 1, 2, 3, 4); err != nil {
		return nil, err
	}
	p := &newActivityArgs{dimFrom: 5, lookback: -1}
	if len(b.Args) > 5 && b.Args[5].Const {
		p.cohort, p.dimFrom = b.Args[5].Value, 6
	}
	for i := p.dimFrom; i < len(b.Args); i++ {
		a := b.Args[i]
		switch {
		case a.IsTable() && i == len(b.Args)-1:
			p.lookback = i
		case a.Col >= 0:
			p.dimSchema = append(p.dimSchema, b.Input[a.Col])
		default:
			return nil, argErrorf(i, "expected a dimension column of the input or, last, "+
				"a lookback table")
		}
	}
	return p, nil
}

func bindNewActivity(b *Binding) (*Bound, error) {
	p, err := parseNewActivity(b)
	if err != nil {
		return nil, err
	}
	tl := b.Input[b.Args[1].Col]
	out := column.Schema{{Name: "from_" + tl.Name, Type: tl.Type},
		{Name: "to_" + tl.Name, Type: tl.Type}}
	out = append(append(out, p.dimSchema...), newActivityCols...)
	return &Bound{Out: out}, nil
}

// runNewActivity follows each cohort of new ids (first seen in period
// "from") into every later period "to".
func runNewActivity(r *Run) (*Output, error) {
	p, err := parseNewActivity(r.Binding)
	if err != nil {
		return nil, err
	}
	w, _ := timelineArgs(r.Binding, 1, 2, 3, 4)
	prior := idSet{}
	if p.lookback >= 0 {
		t := r.Args[p.lookback].Table
		c := t.Schema.Index(r.Input.Schema[r.Binding.Args[0].Col].Name)
		if c < 0 {
			c = 0
		}
		for i := 0; i < t.N() && c < len(t.Schema); i++ {
			if v := t.Rows.Cols[c].Value(i); v != nil {
				prior[idKey(v)] = true
			}
		}
	}
	cohort := int64(-1)
	if p.cohort != nil {
		c, ok := ticks(p.cohort)
		if !ok {
			return nil, fmt.Errorf("the cohort must be a %s", w.t)
		}
		cohort = c
	}
	keys, groups := dims(r, p.dimFrom)
	bld := newBuilder(r.Bound.Out)
	periods := w.periods()
	for g, rows := range groups {
		sets, _ := periodSets(r, w, rows)
		for f, from := range periods {
			if cohort >= 0 && from != cohort {
				continue
			}
			before := copySet(prior) // ids seen before "from"
			for k := 0; k < f; k++ {
				addAll(before, sets[k])
			}
			newIDs := idSet{}
			for id := range sets[f] {
				if !before[id] {
					newIDs[id] = true
				}
			}
			through := copySet(before) // ids seen up to and including "from"
			addAll(through, sets[f])
			for t := f; t < len(periods); t++ {
				var fresh, kept int64
				ref := through
				if t == f {
					ref = before
				}
				for id := range sets[t] {
					if !ref[id] {
						fresh++
					}
					if newIDs[id] {
						kept++
					}
				}
				churned := int64(len(newIDs)) - kept
				retention, churn := 0.0, 0.0
				if len(newIDs) > 0 {
					retention = float64(kept) / float64(len(newIDs))
					churn = float64(churned) / float64(len(newIDs))
				}
				row := []any{timelineValue(from, w.t), timelineValue(periods[t], w.t)}
				row = append(row, dimValues(r, p.dimFrom, keys[g][0])...)
				row = append(row, fresh, kept, churned, retention, churn)
				bld.add(row...)
			}
		}
	}
	return bld.table(), nil
}

func copySet(s idSet) idSet {
	out := make(idSet, len(s))
	addAll(out, s)
	return out
}

func addAll(dst, src idSet) {
	for k := range src {
		dst[k] = true
	}
}

// engagementArgs locate activity_engagement's optional Start and End.
type engagementArgs struct {
	start, end   int // argument indexes, -1 when not given
	inner, outer int
	dimFrom      int
}

func parseEngagement(b *Binding) (*engagementArgs, error) {
	if len(b.Args) < 4 {
		return nil, argErrorf(-1, "expected IdColumn, TimelineColumn, [Start, End,] "+
			"InnerActivityWindow, OuterActivityWindow and optional dimensions")
	}
	if err := idColumn(b); err != nil {
		return nil, err
	}
	if b.Args[1].Col < 0 {
		return nil, argErrorf(1, "expected the timeline column of the input")
	}
	p := &engagementArgs{start: -1, end: -1, inner: 2, outer: 3, dimFrom: 4}
	if len(b.Args) >= 6 && b.Args[2].Const && b.Args[2].Type == b.Args[1].Type &&
		b.Args[1].Type == types.Datetime {
		p.start, p.end, p.inner, p.outer, p.dimFrom = 2, 3, 4, 5, 6
	}
	for _, i := range []int{p.inner, p.outer} {
		if _, _, err := constTicks(b, i, "window"); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func bindEngagement(b *Binding) (*Bound, error) {
	p, err := parseEngagement(b)
	if err != nil {
		return nil, err
	}
	d, err := dimSchema(b, p.dimFrom)
	if err != nil {
		return nil, err
	}
	out := column.Schema{b.Input[b.Args[1].Col]}
	out = append(append(out, d...), engagementCols...)
	return &Bound{Out: out}, nil
}

// runEngagement counts, for each inner-window period, the distinct ids in
// that period and in the outer window that ends with it.
func runEngagement(r *Run) (*Output, error) {
	p, err := parseEngagement(r.Binding)
	if err != nil {
		return nil, err
	}
	inner, _ := ticks(r.Binding.Args[p.inner].Value)
	outer, _ := ticks(r.Binding.Args[p.outer].Value)
	if inner <= 0 || outer <= 0 {
		return nil, fmt.Errorf("the activity windows must be positive")
	}
	keys, groups := dims(r, p.dimFrom)
	bld := newBuilder(r.Bound.Out)
	for g, rows := range groups {
		w := window{step: inner, t: r.Binding.Args[1].Type}
		lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
		for _, i := range rows {
			if t, ok := ticks(r.Args[1].At(i)); ok {
				lo, hi = min(lo, t), max(hi, t)
			}
		}
		if p.start >= 0 {
			lo, _ = ticks(r.Binding.Args[p.start].Value)
			hi, _ = ticks(r.Binding.Args[p.end].Value)
		}
		if lo > hi {
			continue
		}
		w.start, w.end = lo, hi
		for _, t := range w.periods() {
			in, out := idSet{}, idSet{}
			for _, i := range rows {
				ts, ok := ticks(r.Args[1].At(i))
				id := r.Args[0].At(i)
				if !ok || id == nil {
					continue
				}
				if ts >= t && ts < t+inner {
					in[idKey(id)] = true
				}
				if ts >= t+inner-outer && ts < t+inner {
					out[idKey(id)] = true
				}
			}
			ratio := math.NaN()
			if len(out) > 0 {
				ratio = float64(len(in)) / float64(len(out))
			}
			row := append([]any{timelineValue(t, w.t)}, dimValues(r, p.dimFrom, keys[g][0])...)
			row = append(row, int64(len(in)), int64(len(out)), ratio)
			bld.add(row...)
		}
	}
	return bld.table(), nil
}

func bindActiveUsers(b *Binding) (*Bound, error) {
	if len(b.Args) < 8 {
		return nil, argErrorf(-1, "expected IdColumn, TimelineColumn, Start, End, "+
			"LookbackWindow, Period, ActivePeriodsCount, Bin and optional dimensions, "+
			"found %d arguments", len(b.Args))
	}
	if err := idColumn(b); err != nil {
		return nil, err
	}
	if _, err := timelineArgs(b, 1, 2, 3, 7); err != nil {
		return nil, err
	}
	for _, i := range []int{4, 5, 6} {
		if _, _, err := constTicks(b, i, "value"); err != nil {
			return nil, err
		}
	}
	d, err := dimSchema(b, 8)
	if err != nil {
		return nil, err
	}
	out := column.Schema{b.Input[b.Args[1].Col]}
	out = append(append(out, d...), column.Field{Name: "dcount", Type: types.Long})
	return &Bound{Out: out}, nil
}

// runActiveUsers counts, per Bin period, the distinct ids with an
// appearance in the period that is active: the id appeared in at least
// ActivePeriodsCount distinct Periods within LookbackWindow before it
// (inclusive). Periods without active ids are left out.
func runActiveUsers(r *Run) (*Output, error) {
	w, err := timelineArgs(r.Binding, 1, 2, 3, 7)
	if err != nil {
		return nil, err
	}
	lookback, _ := ticks(r.Binding.Args[4].Value)
	period, _ := ticks(r.Binding.Args[5].Value)
	need, _ := ticks(r.Binding.Args[6].Value)
	if period <= 0 {
		return nil, fmt.Errorf("the period must be positive")
	}
	keys, groups := dims(r, 8)
	bld := newBuilder(r.Bound.Out)
	periods := w.periods()
	for g, rows := range groups {
		times := map[string][]int64{} // appearances by id
		for _, i := range rows {
			t, ok := ticks(r.Args[1].At(i))
			id := r.Args[0].At(i)
			if ok && id != nil {
				times[idKey(id)] = append(times[idKey(id)], t)
			}
		}
		active := make([]idSet, len(periods))
		for id, ts := range times {
			for _, t := range ts {
				if t < w.start || t > w.end+w.step-1 {
					continue
				}
				k := int((w.binOf(t) - w.start) / w.step)
				if k >= len(periods) {
					continue
				}
				distinct := map[int64]bool{}
				for _, u := range ts {
					if u > t-lookback && u <= t {
						distinct[floorDiv(u, period)] = true
					}
				}
				if int64(len(distinct)) >= need {
					if active[k] == nil {
						active[k] = idSet{}
					}
					active[k][id] = true
				}
			}
		}
		for k, p := range periods {
			if len(active[k]) == 0 {
				continue
			}
			row := append([]any{timelineValue(p, w.t)}, dimValues(r, 8, keys[g][0])...)
			bld.add(append(row, int64(len(active[k])))...)
		}
	}
	return bld.table(), nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

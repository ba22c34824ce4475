package plugin

import (
	"sort"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// This file holds session_count(IdColumn, TimelineColumn, Start, End, Bin,
// LookBackWindow [, dim, ...]). The documentation defines a session by its
// look-back window: an id that appears again within LookBackWindow of its
// previous appearance continues its session, and one that does not starts
// a new session. The output counts, for each period of the timeline and
// each existing dimension combination, the sessions active in that period.
//
// The page shows its example's result only as a chart, so the reading
// below is the documented definition applied as written:
//   - a session runs from its first appearance to its last; it is active in
//     every period that span touches (so with a look-back longer than the
//     bin, a session is counted in the quiet periods it spans);
//   - appearances before Start still continue or start sessions, since the
//     look-back looks at the data, but only the periods from Start to End
//     are reported, every one of them, with 0 where no session is active;
//   - rows whose id or timeline value is null take no part.

func init() {
	Register(&Plugin{Name: "session_count", Bind: bindSessionCount, Run: runSessionCount})
}

func bindSessionCount(b *Binding) (*Bound, error) {
	if len(b.Args) < 6 {
		return nil, argErrorf(-1, "expected IdColumn, TimelineColumn, Start, End, Bin, "+
			"LookBackWindow and optional dimensions, found %d arguments", len(b.Args))
	}
	if err := idColumn(b); err != nil {
		return nil, err
	}
	if b.Args[0].Type == types.Dynamic {
		return nil, argErrorf(0, "expected an id column of a scalar type, found dynamic")
	}
	if _, err := timelineArgs(b, 1, 2, 3, 4); err != nil {
		return nil, err
	}
	if _, err := lookBack(b); err != nil {
		return nil, err
	}
	d, err := dimSchema(b, 6)
	if err != nil {
		return nil, err
	}
	for i, f := range d {
		if f.Type == types.Dynamic {
			return nil, argErrorf(6+i, "expected a dimension column of a scalar type, "+
				"found dynamic")
		}
	}
	out := column.Schema{b.Input[b.Args[1].Col]}
	out = append(out, d...)
	out = append(out, column.Field{Name: "count_sessions", Type: types.Long})
	return &Bound{Out: out}, nil
}

// lookBack reads the LookBackWindow argument; it is 0 until it is known.
func lookBack(b *Binding) (int64, error) {
	n, known, err := constTicks(b, 5, "look-back window")
	if err != nil || !known {
		return 0, err
	}
	if n < 0 {
		return 0, argErrorf(5, "the look-back window must not be negative")
	}
	return n, nil
}

// span is one session: the times of its first and last appearance.
type span struct{ first, last int64 }

// runSessionCount cuts each id's appearances into sessions, per dimension
// combination, and counts the sessions whose span touches each period.
func runSessionCount(r *Run) (*Output, error) {
	w, err := timelineArgs(r.Binding, 1, 2, 3, 4)
	if err != nil {
		return nil, err
	}
	if w.step <= 0 {
		return nil, argErrorf(4, "the bin must be positive")
	}
	look, err := lookBack(r.Binding)
	if err != nil {
		return nil, err
	}
	periods := w.periods()
	keys, groups := dims(r, 6)
	bld := newBuilder(r.Bound.Out)
	for g, rows := range groups {
		counts := make([]int64, len(periods))
		for _, s := range sessions(r, rows, look) {
			// The periods whose bin [p, p+step) meets [first, last].
			lo := int64(0)
			if s.first > w.start {
				lo = (w.binOf(s.first) - w.start) / w.step
			}
			if s.last < w.start {
				continue
			}
			hi := (w.binOf(s.last) - w.start) / w.step
			for k := lo; k <= hi && k < int64(len(periods)); k++ {
				counts[k]++
			}
		}
		dimVals := dimValues(r, 6, keys[g][0])
		for k, p := range periods {
			row := append([]any{timelineValue(p, w.t)}, dimVals...)
			bld.add(append(row, counts[k])...)
		}
	}
	return bld.table(), nil
}

// sessions returns the sessions of the given rows (one dimension group):
// each id's appearances in time order, cut where the gap from the previous
// appearance exceeds the look-back window.
func sessions(r *Run, rows []int, look int64) []span {
	byID := map[string][]int64{}
	var order []string
	for _, i := range rows {
		id := r.Args[0].At(i)
		t, ok := ticks(r.Args[1].At(i))
		if id == nil || !ok {
			continue
		}
		k := idKey(id)
		if _, seen := byID[k]; !seen {
			order = append(order, k)
		}
		byID[k] = append(byID[k], t)
	}
	var out []span
	for _, k := range order {
		times := byID[k]
		sort.Slice(times, func(a, b int) bool { return times[a] < times[b] })
		cur := span{times[0], times[0]}
		for _, t := range times[1:] {
			if t-cur.last > look {
				out = append(out, cur)
				cur = span{t, t}
				continue
			}
			cur.last = t
		}
		out = append(out, cur)
	}
	return out
}

package plugin

import (
	"sort"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

func init() {
	Register(&Plugin{Name: "funnel_sequence", Bind: bindFunnel, Run: runFunnel})
	Register(&Plugin{Name: "funnel_sequence_completion", Bind: bindFunnelCompletion,
		Run: runFunnelCompletion})
}

// maxFunnelSamples bounds the sample ids funnel_sequence returns per row.
const maxFunnelSamples = 128

// event is one input row of an id's timeline.
type event struct {
	t     int64
	state string
	row   int
}

// stringArray returns argument i, a constant dynamic array, as strings;
// known is false while binding an expression whose value is not known yet.
func stringArray(b *Binding, i int, what string) ([]any, bool, error) {
	a := b.Args[i]
	if !a.Const || a.Type != types.Dynamic {
		return nil, false, argErrorf(i, "expected a constant dynamic array of %s", what)
	}
	if !a.Known {
		return nil, false, nil
	}
	arr, ok := a.Value.([]any)
	if !ok || len(arr) == 0 {
		return nil, false, argErrorf(i, "expected a non-empty dynamic array of %s", what)
	}
	return arr, true, nil
}

// timelines groups the rows whose time lies in [lo, hi) by id, each in
// time order.
func timelines(r *Run, idArg, timeArg, stateArg int, lo, hi int64) ([]string, map[string][]event,
	map[string]any,
) {
	var ids []string
	byID := map[string][]event{}
	idVal := map[string]any{}
	for i := 0; i < r.Input.N(); i++ {
		id := r.Args[idArg].At(i)
		t, ok := ticks(r.Args[timeArg].At(i))
		if id == nil || !ok || t < lo || t >= hi {
			continue
		}
		k := idKey(id)
		if _, seen := byID[k]; !seen {
			ids = append(ids, k)
			idVal[k] = id
		}
		byID[k] = append(byID[k], event{t: t, state: formatCell(r.Args[stateArg].At(i)), row: i})
	}
	for _, k := range ids {
		evs := byID[k]
		sort.SliceStable(evs, func(a, b int) bool { return evs[a].t < evs[b].t })
	}
	return ids, byID, idVal
}

// funnelTable returns which of funnel_sequence's three tables a call
// computes: semantic analysis adds the argument "$table" (1, 2 or 3).
func funnelTable(b *Binding) int {
	for _, a := range b.Args {
		if a.Name == "$table" {
			if n, ok := a.Value.(int64); ok {
				return int(n)
			}
		}
	}
	return 1
}

func bindFunnel(b *Binding) (*Bound, error) {
	if n := len(userArgs(b.Args)); n != 8 {
		return nil, argErrorf(-1, "expected IdColumn, TimelineColumn, Start, End, "+
			"MaxSequenceStepWindow, Step, StateColumn and Sequence, found %d arguments", n)
	}
	if err := idColumn(b); err != nil {
		return nil, err
	}
	if _, err := timelineArgs(b, 1, 2, 3, 5); err != nil {
		return nil, err
	}
	if _, _, err := constTicks(b, 4, "timespan"); err != nil {
		return nil, err
	}
	if b.Args[6].Col < 0 {
		return nil, argErrorf(6, "expected the state column of the input")
	}
	if _, _, err := stringArray(b, 7, "states"); err != nil {
		return nil, err
	}
	out := column.Schema{b.Input[b.Args[1].Col]}
	switch funnelTable(b) {
	case 2: // by the state before the sequence, as documented
		out = append(out, column.Field{Name: "prev", Type: types.String},
			column.Field{Name: "Dcount", Type: types.Long})
	case 3: // by the state after it
		out = append(out, column.Field{Name: "next", Type: types.String},
			column.Field{Name: "Dcount", Type: types.Long})
	default:
		out = append(out, column.Field{Name: "prev", Type: types.String},
			column.Field{Name: "next", Type: types.String},
			column.Field{Name: "dcount", Type: types.Long})
	}
	out = append(out, column.Field{Name: "samples", Type: types.Dynamic})
	return &Bound{Out: out}, nil
}

// runFunnel finds, per Step period and id, each run of consecutive events
// matching Sequence (each within the step window of the previous) and
// counts the ids by the state just before and just after the run (empty
// when there is none within the step window): by both (table 1), by the
// state before (table 2) or by the state after (table 3).
func runFunnel(r *Run) (*Output, error) {
	w, err := timelineArgs(r.Binding, 1, 2, 3, 5)
	if err != nil {
		return nil, err
	}
	stepWin, _, _ := constTicks(r.Binding, 4, "timespan")
	seqVals, _, err := stringArray(r.Binding, 7, "states")
	if err != nil {
		return nil, err
	}
	seq := make([]string, len(seqVals))
	for i, v := range seqVals {
		seq[i] = formatCell(v)
	}
	table := funnelTable(r.Binding)
	bld := newBuilder(r.Bound.Out)
	for _, p := range w.periods() {
		ids, byID, idVal := timelines(r, 0, 1, 6, p, p+w.step)
		type pair struct{ prev, next string }
		var order []pair
		found := map[pair][]string{}
		for _, id := range ids {
			evs := byID[id]
			for s := 0; s+len(seq) <= len(evs); s++ {
				if !matchRun(evs[s:s+len(seq)], seq, stepWin) {
					continue
				}
				var pr pair
				if s > 0 && evs[s].t-evs[s-1].t <= stepWin && table != 3 {
					pr.prev = evs[s-1].state
				}
				end := s + len(seq) - 1
				if end+1 < len(evs) && evs[end+1].t-evs[end].t <= stepWin && table != 2 {
					pr.next = evs[end+1].state
				}
				got, seen := found[pr]
				if !seen {
					order = append(order, pr)
				}
				if len(got) == 0 || got[len(got)-1] != id {
					found[pr] = append(got, id)
				}
			}
		}
		sort.SliceStable(order, func(a, b int) bool {
			return len(found[order[a]]) > len(found[order[b]])
		})
		for _, pr := range order {
			var samples []any
			for _, id := range found[pr] {
				if len(samples) < maxFunnelSamples {
					samples = append(samples, idVal[id])
				}
			}
			row := []any{timelineValue(p, w.t)}
			switch table {
			case 2:
				row = append(row, pr.prev)
			case 3:
				row = append(row, pr.next)
			default:
				row = append(row, pr.prev, pr.next)
			}
			bld.add(append(row, int64(len(found[pr])), samples)...)
		}
	}
	return bld.table(), nil
}

// matchRun reports whether evs follow seq state by state, each event
// within stepWin of the previous one.
func matchRun(evs []event, seq []string, stepWin int64) bool {
	for k, e := range evs {
		if e.state != seq[k] || (k > 0 && e.t-evs[k-1].t > stepWin) {
			return false
		}
	}
	return true
}

func bindFunnelCompletion(b *Binding) (*Bound, error) {
	if len(b.Args) != 8 {
		return nil, argErrorf(-1, "expected IdColumn, TimelineColumn, Start, End, Step, "+
			"StateColumn, Sequence and MaxSequenceStepWindows, found %d arguments", len(b.Args))
	}
	if err := idColumn(b); err != nil {
		return nil, err
	}
	if _, err := timelineArgs(b, 1, 2, 3, 4); err != nil {
		return nil, err
	}
	if b.Args[5].Col < 0 {
		return nil, argErrorf(5, "expected the state column of the input")
	}
	if _, _, err := stringArray(b, 6, "states"); err != nil {
		return nil, err
	}
	if _, _, err := stringArray(b, 7, "timespans"); err != nil {
		return nil, err
	}
	state := b.Input[b.Args[5].Col]
	out := column.Schema{b.Input[b.Args[1].Col], {Name: state.Name, Type: types.String},
		{Name: "Period", Type: types.Timespan}, {Name: "dcount", Type: types.Long}}
	return &Bound{Out: out}, nil
}

// runFunnelCompletion counts, per Step period, window and sequence step,
// the ids that went through the sequence up to that step, each step within
// the window after the previous one.
func runFunnelCompletion(r *Run) (*Output, error) {
	w, err := timelineArgs(r.Binding, 1, 2, 3, 4)
	if err != nil {
		return nil, err
	}
	seqVals, _, err := stringArray(r.Binding, 6, "states")
	if err != nil {
		return nil, err
	}
	winVals, _, err := stringArray(r.Binding, 7, "timespans")
	if err != nil {
		return nil, err
	}
	seq := make([]string, len(seqVals))
	for i, v := range seqVals {
		seq[i] = formatCell(v)
	}
	bld := newBuilder(r.Bound.Out)
	for _, p := range w.periods() {
		ids, byID, _ := timelines(r, 0, 1, 5, p, p+w.step)
		for _, wv := range winVals {
			win, ok := ticks(conform(wv, types.Timespan))
			if !ok {
				continue
			}
			counts := make([]int64, len(seq))
			for _, id := range ids {
				for k := 0; k < deepestStep(byID[id], seq, win); k++ {
					counts[k]++
				}
			}
			for k, s := range seq {
				bld.add(timelineValue(p, w.t), s, types.Duration(win), counts[k])
			}
		}
	}
	return bld.table(), nil
}

// deepestStep returns how many steps of seq the events complete in order,
// each step within win after the previous, trying every start.
func deepestStep(evs []event, seq []string, win int64) int {
	best := 0
	for s, e := range evs {
		if e.state != seq[0] {
			continue
		}
		depth, last := 1, evs[s].t
		for j := s + 1; j < len(evs) && depth < len(seq); j++ {
			if evs[j].t-last > win {
				break
			}
			if evs[j].state == seq[depth] {
				depth++
				last = evs[j].t
			}
		}
		best = max(best, depth)
	}
	return best
}

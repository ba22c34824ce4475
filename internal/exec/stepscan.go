package exec

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
)

// stepScanOp runs the scan operator record by record (see plan.StepScan).
type stepScanOp struct {
	in       operator
	n        *plan.StepScan
	width    int           // columns of a record: input then declared
	defaults []any         // the declared columns' defaults
	preds    []rowFn       // per step
	assigns  [][]rowFn     // per step, per assignment
	row      *column.Batch // the step row the expressions read; one row
	used     []bool        // the step row columns some expression reads
	state    []*scanSeq    // per step; nil when the step's state is empty
	pending  [][]any       // per step with output=last: the record not yet output
	nextID   int64
	done     bool
}

// scanSeq is a sequence in the state of step k: a record per step 0..k,
// and its match id.
type scanSeq struct {
	id   int64
	recs [][]any
}

func (r *runner) stepScan(n *plan.StepScan, in operator) (operator, error) {
	op := &stepScanOp{in: in, n: n, width: n.Width(), state: make([]*scanSeq, len(n.Steps)),
		pending: make([][]any, len(n.Steps))}
	base := len(n.Input.Schema())
	for i, d := range n.Defaults {
		f, err := r.rowFunc(d)
		if err != nil {
			return nil, err
		}
		op.defaults = append(op.defaults, conform(f(&column.Batch{}, 0), n.Out[base+i].Type))
	}
	var rowSchema column.Schema
	for range len(n.Steps) + 1 {
		rowSchema = append(rowSchema, n.Out[:op.width]...)
	}
	op.row = column.NewBatch(rowSchema, 1)
	op.used = make([]bool, len(rowSchema))
	for _, st := range n.Steps {
		p, err := r.rowFunc(st.Pred)
		if err != nil {
			return nil, err
		}
		plan.MarkCols(st.Pred, op.used)
		var as []rowFn
		for _, a := range st.Assigns {
			f, err := r.rowFunc(a.Value)
			if err != nil {
				return nil, err
			}
			plan.MarkCols(a.Value, op.used)
			as = append(as, f)
		}
		op.preds = append(op.preds, p)
		op.assigns = append(op.assigns, as)
	}
	return op, nil
}

func (op *stepScanOp) next() (*column.Batch, error) {
	for !op.done {
		b, err := op.in.next()
		if err != nil {
			return nil, err
		}
		out := column.NewBatch(op.n.Out, 0)
		if b == nil {
			op.done = true
			for k, rec := range op.pending {
				if rec != nil {
					op.emit(out, rec)
					op.pending[k] = nil
				}
			}
		} else {
			for i := 0; i < b.N; i++ {
				op.record(b, i, out)
			}
		}
		if out.N > 0 {
			return out, nil
		}
	}
	return nil, nil
}

func (op *stepScanOp) close() { op.in.close() }

// record matches row i of b against the steps, last to first.
func (op *stepScanOp) record(b *column.Batch, i int, out *column.Batch) {
	rec := make([]any, op.width)
	for c := range b.Cols {
		rec[c] = b.Cols[c].Value(i)
	}
	copy(rec[len(b.Cols):], op.defaults)
	last := len(op.n.Steps) - 1
	for k := last; k >= 0; k-- {
		// Check 1: the previous step's sequence moves on to this step.
		if k > 0 && op.state[k-1] != nil {
			prev := op.state[k-1]
			if op.matches(k, rec, prev) {
				ext := op.extend(k, rec, prev)
				op.flush(k-1, out)
				op.flush(k, out)
				op.state[k] = &scanSeq{id: prev.id, recs: append(prev.recs[:k:k], ext)}
				op.state[k-1] = nil
				op.output(k, ext, prev.id, out)
				continue
			}
		}
		// Check 2: the step's own sequence, or a new one at the first step.
		cur := op.state[k]
		if cur == nil && k > 0 {
			continue
		}
		if !op.matches(k, rec, cur) {
			continue
		}
		ext := op.extend(k, rec, cur)
		if cur == nil { // k == 0: a new sequence begins
			cur = &scanSeq{id: op.nextID}
			op.nextID++
			op.state[0] = cur
		}
		cur.recs = append(cur.recs[:k:k], ext)
		op.output(k, ext, cur.id, out)
	}
}

// load fills the step row from rec and the records of seq (nil for an
// empty state, whose entries hold nulls and the declared defaults).
func (op *stepScanOp) load(rec []any, seq *scanSeq) {
	base := len(op.n.Input.Schema())
	for c := range op.row.Cols {
		if !op.used[c] {
			continue
		}
		var v any
		j, col := c/op.width-1, c%op.width
		switch {
		case j < 0:
			v = rec[col]
		case seq != nil && j < len(seq.recs):
			v = seq.recs[j][col]
		case col >= base:
			v = op.defaults[col-base]
		}
		set1(op.row.Cols[c], conform(v, op.row.Cols[c].Type))
	}
	op.row.N = 1
}

func (op *stepScanOp) matches(k int, rec []any, seq *scanSeq) bool {
	op.load(rec, seq)
	v, ok := op.preds[k](op.row, 0).(bool)
	return ok && v
}

// extend returns rec with step k's assignments applied, computed against seq.
func (op *stepScanOp) extend(k int, rec []any, seq *scanSeq) []any {
	ext := append([]any(nil), rec...)
	if len(op.assigns[k]) == 0 {
		return ext
	}
	op.load(rec, seq)
	for a, f := range op.assigns[k] {
		col := op.n.Steps[k].Assigns[a].Col
		ext[col] = conform(f(op.row, 0), op.n.Out[col].Type)
	}
	return ext
}

// output adds a matched record to the output as step k's output mode says.
func (op *stepScanOp) output(k int, ext []any, id int64, out *column.Batch) {
	rec := ext
	if op.n.MatchID {
		rec = append(ext[:len(ext):len(ext)], id)
	}
	switch op.n.Steps[k].Output {
	case "all":
		op.emit(out, rec)
	case "last":
		op.pending[k] = rec
	}
}

// flush outputs step k's held record (output=last) when its series ends.
func (op *stepScanOp) flush(k int, out *column.Batch) {
	if op.pending[k] != nil {
		op.emit(out, op.pending[k])
		op.pending[k] = nil
	}
}

func (op *stepScanOp) emit(out *column.Batch, rec []any) {
	for c, v := range rec {
		out.Cols[c].Append(conform(v, op.n.Out[c].Type))
	}
	out.N++
}

// set1 makes v hold the single value x.
func set1(v *column.Vector, x any) {
	v.Nulls = nil
	switch {
	case v.Bool != nil:
		v.Bool = v.Bool[:0]
	case v.Int != nil:
		v.Int = v.Int[:0]
	case v.Real != nil:
		v.Real = v.Real[:0]
	case v.Str != nil:
		v.Str = v.Str[:0]
	case v.Any != nil:
		v.Any = v.Any[:0]
	}
	v.Append(x)
}

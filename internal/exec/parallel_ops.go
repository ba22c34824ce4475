package exec

import (
	"context"
	"fmt"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// workers returns how many workers run a scan's operators.
func (r *runner) workers() int { return r.nworkers }

// streamChain returns the streaming operators from n down to the scan
// below them (top first), or ok false when n is not such a chain or some
// expression in it must run sequentially. An empty chain is a scan alone.
func streamChain(n plan.Node) (chain []plan.Node, scan *plan.Scan, ok bool) {
	for {
		switch x := n.(type) {
		case *plan.Scan:
			return chain, x, true
		case *plan.Filter:
			if !parallelSafe(x.Pred) {
				return nil, nil, false
			}
			chain, n = append(chain, x), x.Input
		case *plan.Project:
			if !allSafe(x.Exprs) {
				return nil, nil, false
			}
			chain, n = append(chain, x), x.Input
		case *plan.Parse:
			if !parallelSafe(x.X) {
				return nil, nil, false
			}
			chain, n = append(chain, x), x.Input
		case *plan.MvExpand:
			chain, n = append(chain, x), x.Input
		case *plan.Join:
			if !streamingJoin(x.Kind) {
				return nil, nil, false
			}
			chain, n = append(chain, x), x.Left
		default:
			return nil, nil, false
		}
	}
}

// parallelSafe reports whether e may be evaluated by several workers, each
// with its own compiled copy, with the results of a sequential run.
func parallelSafe(e plan.Expr) bool {
	switch e := e.(type) {
	case *plan.ColRef, *plan.Const:
		return true
	case *plan.Call:
		if e.Fn == nil || e.Fn.Volatile || e.Name == "assert" {
			return false
		}
		return allSafe(e.Args)
	case *plan.Binary:
		return parallelSafe(e.L) && parallelSafe(e.R)
	case *plan.In:
		return e.Sub == nil && parallelSafe(e.X) && allSafe(e.List)
	case *plan.Between:
		return parallelSafe(e.X) && parallelSafe(e.Lo) && parallelSafe(e.Hi)
	case *plan.Member:
		return parallelSafe(e.X)
	case *plan.Index:
		return parallelSafe(e.X) && parallelSafe(e.Idx)
	case *plan.Neg:
		return parallelSafe(e.X)
	}
	return false
}

func allSafe(es []plan.Expr) bool {
	for _, e := range es {
		if !parallelSafe(e) {
			return false
		}
	}
	return true
}

// chainScan returns the input of a chain (nodes top first, as streamChain
// returns them, the scan being the last node's input): the parts of the
// table when the source can split it, else a scan operator. Either is
// handed the bounds the filters directly above the scan imply.
//
// codes, when not nil, marks per scan column those the operators above use
// only through their dictionary codes (see codesOnlyColumns). With
// partsOnly a source that does not split the table gives ok false, and no
// scan is started.
func (r *runner) chainScan(nodes []plan.Node, scan *plan.Scan, codes []bool, partsOnly bool,
) (in scanInput, ok bool, err error) {
	var preds []plan.Expr
	if _, bounded := r.src.(BoundedSource); bounded {
		for i := len(nodes) - 1; i >= 0; i-- {
			f, isFilter := nodes[i].(*plan.Filter)
			if !isFilter {
				break
			}
			preds = append(preds, f.Pred)
		}
	}
	var bounds []plan.Bound
	if len(preds) > 0 {
		bounds = plan.Bounds(scan, preds, r.constValue)
	}
	if ss, ok := r.src.(SplitSource); ok {
		cols, widen := scanColumns(scan)
		parts, ok, err := ss.Split(r.ctx, scan.Table, cols, neededCodes(scan, codes), bounds)
		if err != nil {
			return scanInput{}, false, err
		}
		if ok {
			return scanInput{parts: parts, widen: widen}, true, nil
		}
	}
	if partsOnly {
		return scanInput{}, false, nil
	}
	return scanInput{op: cancelable{r.scan(scan, bounds), r.ctx}}, true, nil
}

// scanColumns returns the columns a scan reads and a function that widens
// a batch of them to all the scan's columns, the others null, as the scan
// operator does.
func scanColumns(n *plan.Scan) ([]string, func(*column.Batch) *column.Batch) {
	cols := []string{} // empty, not nil: nil would ask for every column
	pos := neededIndexes(n)
	for _, i := range pos {
		cols = append(cols, n.Columns[i].Name)
	}
	return cols, func(b *column.Batch) *column.Batch {
		if len(pos) == len(n.Columns) {
			return b
		}
		full := &column.Batch{Cols: make([]*column.Vector, len(n.Columns)), N: b.N}
		for i, f := range n.Columns {
			full.Cols[i] = column.Null(f.Type, b.N)
		}
		for k, p := range pos {
			full.Cols[p] = b.Cols[k]
		}
		return full
	}
}

// neededIndexes returns the indexes of the columns scan n reads, ascending.
func neededIndexes(n *plan.Scan) []int {
	var pos []int
	for i := range n.Columns {
		if n.Needed == nil || n.Needed[i] {
			pos = append(pos, i)
		}
	}
	return pos
}

// chainJoins builds the right sides of the joins of a chain, once for all
// the workers, as a sequential join would before its first left batch.
func (r *runner) chainJoins(nodes []plan.Node) (map[*plan.Join]*joinOp, error) {
	joins := map[*plan.Join]*joinOp{}
	for i := len(nodes) - 1; i >= 0; i-- {
		if n, ok := nodes[i].(*plan.Join); ok {
			op, err := r.buildJoin(n)
			if err != nil {
				return nil, err
			}
			joins[n] = op
		}
	}
	return joins, nil
}

// buildChain compiles a worker's copy of the chain (top first) over feed,
// its joins probing the right sides chainJoins built.
func (r *runner) buildChain(nodes []plan.Node, joins map[*plan.Join]*joinOp,
	feed operator,
) (operator, error) {
	op := feed
	var err error
	for i := len(nodes) - 1; i >= 0; i-- {
		switch n := nodes[i].(type) {
		case *plan.Filter:
			op, err = r.filter(n, op)
		case *plan.Project:
			op, err = r.project(n, op)
		case *plan.Parse:
			op, err = r.parse(n, op)
		case *plan.MvExpand:
			op = newMvExpand(n, op)
		case *plan.Join:
			op = joins[n].prober(op)
		default:
			err = fmt.Errorf("%w: %T in a parallel chain", ErrInternal, n)
		}
		if err != nil {
			return nil, err
		}
	}
	return op, nil
}

// runChain runs a worker's chain over one batch and returns its output
// batches (none empty).
func runChain(chain operator, feed *feedOp, b *column.Batch) ([]*column.Batch, error) {
	feed.b = b
	var out []*column.Batch
	for {
		x, err := chain.next()
		if err != nil || x == nil {
			return out, err
		}
		if x.N > 0 {
			out = append(out, x)
		}
	}
}

// parallelStream runs n, a chain of streaming operators over a scan, on
// the run's workers; ok is false when n cannot run so.
func (r *runner) parallelStream(n plan.Node) (op operator, ok bool, err error) {
	if r.workers() < 2 {
		return nil, false, nil
	}
	nodes, scan, ok := streamChain(n)
	if !ok {
		return nil, false, nil
	}
	// The scan starts reading while the joins build their right sides.
	in, _, err := r.chainScan(nodes, scan, nil, false)
	if err != nil {
		return nil, true, err
	}
	joins, err := r.chainJoins(nodes)
	if err != nil {
		in.close()
		return nil, true, err
	}
	if len(nodes) == 0 && in.op != nil {
		return in.op, true, nil // a scan alone gains nothing from workers unless split
	}
	work := make([]workFunc[*unitStream], r.workers())
	for w := range work {
		feed := &feedOp{}
		chain, err := r.buildChain(nodes, joins, feed)
		if err != nil {
			in.close()
			return nil, true, err
		}
		work[w] = func(ctx context.Context, _ int, u unit, deliver func(*unitStream)) error {
			s := &unitStream{ch: make(chan *column.Batch, streamBatches)}
			deliver(s)
			defer func() {
				if p := recover(); p != nil {
					s.err = panicError(p)
				}
				close(s.ch)
			}()
			s.err = u.each(ctx, func(b *column.Batch) error {
				bs, err := runChain(chain, feed, b)
				for _, x := range bs {
					select {
					case s.ch <- x:
					case <-ctx.Done():
						return ctx.Err()
					}
				}
				return err
			})
			return nil
		}
	}
	return &parallelOp{o: startOrdered(r.ctx, in, work)}, true, nil
}

// streamBatches is how many output batches of a unit a worker may make
// before the consumer reaches the unit: it bounds memory when units are
// large parts of a table.
const streamBatches = 32

// unitStream carries the output batches of one unit; err is set before ch
// is closed.
type unitStream struct {
	ch  chan *column.Batch
	err error
}

// parallelOp yields the batches the workers made, in order.
type parallelOp struct {
	o   *ordered[*unitStream]
	cur *unitStream
}

func (op *parallelOp) next() (*column.Batch, error) {
	for {
		if op.cur == nil {
			s, ok, err := op.o.next()
			if err != nil || !ok {
				return nil, err
			}
			op.cur = s
		}
		select {
		case b, ok := <-op.cur.ch:
			if ok {
				return b, nil
			}
			if err := op.cur.err; err != nil {
				return nil, err
			}
			op.cur = nil
		case <-op.o.ctx.Done():
			return nil, op.o.ctx.Err()
		}
	}
}

func (op *parallelOp) close() { op.o.close() }

// constTail gives, for aggregates whose trailing arguments (a maxSize, an
// accuracy level, percentages) must be the same for every row for a merge
// to be exact, the index of the first such argument.
var constTail = map[string]int{
	"make_list": 1, "make_set": 1, "makelist": 1, "makeset": 1, "make_list_with_nulls": 1,
	"make_list_if": 2, "make_set_if": 2,
	"dcount": 1, "dcountif": 2, "count_distinct": 1, "count_distinctif": 2,
	"hll": 1, "hll_if": 2,
	"percentile": 1, "percentiles": 1, "percentiles_array": 1,
}

// parallelAggregate runs summarize over a chain of streaming operators
// above a scan (or over the scan alone) on the run's workers, and ok is
// false when it cannot run so. When every aggregate's merge commutes
// (functions.MergeCommutes: counts, integer sums, dcount), each worker
// aggregates all the batches it takes into one table, noting where each
// group first appeared, and the tables are merged group by group in order
// of first appearance. Otherwise (arg_max, take_any, make_list, ...) each
// batch is aggregated apart and the partial tables are merged in the
// scan's order, so that ties go to the earlier row. Either way groups come
// in order of first appearance, as in a sequential run.
func (r *runner) parallelAggregate(n *plan.Aggregate) (op operator, ok bool, err error) {
	if !allSafe(n.Keys) {
		return nil, false, nil
	}
	for _, a := range n.Aggs {
		if !allSafe(a.Args) {
			return nil, false, nil
		}
	}
	commute, ok := mergeMode(n)
	if !ok {
		return nil, false, nil
	}
	nodes, scan, ok := streamChain(n.Input)
	if !ok {
		return nil, false, nil
	}
	// The scan starts reading while the joins build their right sides.
	// One worker takes this path too when the source splits the table: the
	// worker then decodes each part itself, and can fold its rows; over a
	// scan operator one worker would only add a hand-off.
	in, ok, err := r.chainScan(nodes, scan, codesOnlyColumns(n, nodes, scan), r.workers() < 2)
	if err != nil || !ok {
		return nil, err != nil, err
	}
	joins, err := r.chainJoins(nodes)
	if err != nil {
		in.close()
		return nil, true, err
	}
	if !commute {
		in.unitRows = aggUnitRows
	}
	work := make([]workFunc[*aggTable], r.workers())
	var tables []*aggTable // each worker's, when the merges commute
	for w := range work {
		feed := &feedOp{}
		chain, err := r.buildChain(nodes, joins, feed)
		if err != nil {
			in.close()
			return nil, true, err
		}
		ev, err := r.aggEval(n)
		if err != nil {
			in.close()
			return nil, true, err
		}
		// A folded copy of the chain takes the batches that repeat (fold.go).
		var fd *folder
		var fchain operator
		ffeed := &feedOp{}
		if fp := planFold(n, nodes, scan, ev.rows); fp != nil {
			if fchain, err = r.buildChain(fp.nodes, joins, ffeed); err != nil {
				in.close()
				return nil, true, err
			}
			fd = &folder{needed: fp.needed}
		}
		var mine *aggTable
		if commute {
			mine = ev.newTable()
			mine.first = []int64{}
			tables = append(tables, mine)
		}
		work[w] = func(ctx context.Context, seq int, u unit, deliver func(*aggTable)) error {
			t := mine
			if t == nil {
				t = ev.newTable()
			}
			pos := int64(seq) << 32 // rows of a unit count below 1 << 32
			folded := func(fbs []*column.Batch) error {
				for _, fb := range fbs {
					bs, err := runChain(fchain, ffeed, fb)
					for _, x := range bs {
						ev.addWeighted(t, x, pos, x.Cols[len(x.Cols)-1].Int)
						pos += int64(x.N)
					}
					if err != nil {
						return err
					}
				}
				return nil
			}
			err := u.each(ctx, func(b *column.Batch) error {
				if len(nodes) == 0 {
					ev.add(t, b, pos)
					pos += int64(b.N)
					return nil
				}
				if fd != nil {
					fbs, ok := fd.add(b)
					if err := folded(fbs); err != nil || ok {
						return err
					}
				}
				bs, err := runChain(chain, feed, b)
				for _, x := range bs {
					ev.add(t, x, pos)
					pos += int64(x.N)
				}
				return err
			})
			if err == nil && fd != nil {
				err = folded(fd.flush())
			}
			if err == nil {
				deliver(t)
			}
			return err
		}
	}
	ev, err := r.aggEval(n)
	if err != nil {
		in.close()
		return nil, true, err
	}
	return &aggregateOp{par: startOrdered(r.ctx, in, work), tables: tables, n: n, ev: ev},
		true, nil
}

// mergeMode reports whether every aggregate of n merges exactly (ok), and
// whether all the merges commute.
func mergeMode(n *plan.Aggregate) (commute, ok bool) {
	commute = true
	for _, a := range n.Aggs {
		fn, found := functions.LookupAggregate(a.Name)
		if !found {
			return false, false
		}
		ts := make([]types.Type, len(a.Args))
		for i, x := range a.Args {
			ts[i] = x.Type()
		}
		acc := fn.New(ts)
		if !functions.CanMerge(acc) {
			return false, false
		}
		commute = commute && functions.MergeCommutes(acc)
		if from, ok := constTail[a.Name]; ok {
			for _, x := range a.Args[min(from, len(a.Args)):] {
				if _, isConst := x.(*plan.Const); !isConst {
					return false, false
				}
			}
		}
	}
	return commute, true
}

package exec

import (
	"context"
	"fmt"
	"sync"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
)

// This file and parallel_ops.go run the streaming operators above a scan
// (filter, project and its kin, parse, mv-expand), and summarize over them,
// on several workers. A dispatcher cuts the scan into units, numbered in
// order: a batch of the scan operator (for summarize, runs of batches of
// 32768 rows or more), or, when the source splits the table (SplitSource,
// say one part per file), a part that the worker reads and decodes. Each
// worker has its own compiled copy of the chain (and of the summarize's
// keys and arguments), so no expression state is shared but what package
// functions guards itself (the regex cache, the context's failure). The
// results are taken back in the units' order through a bounded queue (and
// each unit's batches through a bounded channel), so that the rows, in
// order, are those of a sequential run.
//
// Excluded, and so run sequentially as before: chains with a volatile call
// (rand, new_guid), assert (whose first failure must be the first row's),
// toscalar and in over a subquery (run once per query when compiled),
// graph expressions, operators other than the streaming ones above
// (window functions such as row_number, prev and next live in serialize,
// which is excluded), and summarize with an aggregate that cannot merge
// (functions.CanMerge: make_bag, stdev, a sum of reals, ...) or whose
// size, accuracy or percentage argument is not a literal.

// SplitSource is a Source that can split a table into parts to be read
// concurrently: read one after the other, the parts give the rows that
// ReadBounded would, in the same order.
type SplitSource interface {
	Source
	// Split returns the parts of table (its columns cols) that may hold
	// rows within bounds; ok is false when the table cannot be split.
	// codes, when not nil, marks per column of cols the string columns
	// the caller takes as dictionary codes alone: the source may return
	// them as codes-only vectors (column.Vector.CodesOnly).
	Split(ctx context.Context, table string, cols []string, codes []bool,
		bounds []plan.Bound) (parts []Part, ok bool, err error)
}

// Part reads one part of a table, streaming its batches to fn.
type Part func(ctx context.Context, fn func(*column.Batch) error) error

// unit is what a worker takes at a time: a batch of the scan, or a part of
// the table that the worker reads itself.
type unit struct {
	bs    []*column.Batch
	part  Part
	widen func(*column.Batch) *column.Batch // a part's batches to the scan's width
}

// each calls fn on the unit's batches.
func (u unit) each(ctx context.Context, fn func(*column.Batch) error) error {
	if u.part == nil {
		for _, b := range u.bs {
			if err := fn(b); err != nil {
				return err
			}
		}
		return nil
	}
	return u.part(ctx, func(b *column.Batch) error { return fn(u.widen(b)) })
}

// scanInput is the input of a parallel chain: a scan operator, whose
// batches make the units, or the parts of a SplitSource's table.
type scanInput struct {
	op    operator
	parts []Part
	widen func(*column.Batch) *column.Batch
	// unitRows is how many rows of the scan operator's batches a unit
	// gathers at least (0: one batch).
	unitRows int
}

// aggUnitRows is the size of the units a parallel summarize takes from a
// scan operator: a partial table per unit then spreads its groups over
// many rows. Tests lower it.
var aggUnitRows = 8 * column.BatchSize

// close closes the scan operator, if any.
func (in scanInput) close() {
	if in.op != nil {
		in.op.close()
	}
}

// ordered runs work on the units of a scanInput on one goroutine per work
// function and yields the results in the units' order. At most twice as
// many units as workers are in flight.
type ordered[T any] struct {
	ctx     context.Context
	cancel  context.CancelFunc
	in      scanInput
	pending chan chan orderedResult[T]
	wg      sync.WaitGroup
	closed  bool
	inErr   error // the input's error, after the unit it ended
}

type orderedResult[T any] struct {
	v   T
	err error
}

type orderedJob[T any] struct {
	seq int
	u   unit
	res chan orderedResult[T]
}

func startOrdered[T any](parent context.Context, in scanInput,
	work []workFunc[T],
) *ordered[T] {
	ctx, cancel := context.WithCancel(parent)
	o := &ordered[T]{ctx: ctx, cancel: cancel, in: in,
		pending: make(chan chan orderedResult[T], 2*len(work))}
	jobs := make(chan orderedJob[T])
	o.wg.Add(1 + len(work))
	go o.dispatch(jobs)
	for _, w := range work {
		go func() {
			defer o.wg.Done()
			for j := range jobs {
				sent := false
				deliver := func(v T) {
					if !sent {
						sent = true
						j.res <- orderedResult[T]{v: v}
					}
				}
				err := runGuarded(ctx, w, j.seq, j.u, deliver)
				if !sent {
					if err == nil {
						err = fmt.Errorf("%w: a worker gave no result", ErrInternal)
					}
					j.res <- orderedResult[T]{err: err}
				}
			}
		}()
	}
	return o
}

// nextUnit returns the input's next unit; ok is false at the end. An
// error ends the unit being gathered and comes with the next call.
func (o *ordered[T]) nextUnit(seq int) (u unit, ok bool, err error) {
	if o.in.op == nil {
		if seq >= len(o.in.parts) {
			return u, false, nil
		}
		return unit{part: o.in.parts[seq], widen: o.in.widen}, true, nil
	}
	if o.inErr != nil {
		err, o.inErr = o.inErr, nil
		return u, true, err
	}
	rows := 0
	for {
		b, err := o.in.op.next()
		if err != nil && len(u.bs) == 0 {
			return u, true, err
		}
		if err != nil {
			o.inErr = err
			return u, true, nil
		}
		if b == nil {
			return u, len(u.bs) > 0, nil
		}
		u.bs = append(u.bs, b)
		rows += b.N
		if rows >= o.in.unitRows {
			return u, true, nil
		}
	}
}

// dispatch reads the input, queueing a result slot per unit in order
// before handing the unit to a worker; an error of the input takes its
// slot.
func (o *ordered[T]) dispatch(jobs chan<- orderedJob[T]) {
	defer o.wg.Done()
	defer close(o.pending)
	defer close(jobs)
	for seq := 0; o.ctx.Err() == nil; seq++ {
		u, ok, err := o.nextUnit(seq)
		if !ok {
			return
		}
		res := make(chan orderedResult[T], 1)
		select {
		case o.pending <- res:
		case <-o.ctx.Done():
			return
		}
		if err != nil {
			res <- orderedResult[T]{err: err}
			return
		}
		select {
		case jobs <- orderedJob[T]{seq, u, res}:
		case <-o.ctx.Done():
			res <- orderedResult[T]{err: o.ctx.Err()}
			return
		}
	}
}

// workFunc processes one unit (the seq-th) and delivers its result,
// possibly before it is done (a stream of batches); when it returns an
// error without having delivered, the error is the unit's result.
type workFunc[T any] func(ctx context.Context, seq int, u unit, deliver func(T)) error

// runGuarded runs w, turning a panic into an internal error as Run does.
func runGuarded[T any](ctx context.Context, w workFunc[T], seq int, u unit,
	deliver func(T),
) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicError(p)
		}
	}()
	return w(ctx, seq, u, deliver)
}

func panicError(p any) error { return fmt.Errorf("%w: %v", ErrInternal, p) }

// next returns the result of the next unit; ok is false at the end.
func (o *ordered[T]) next() (v T, ok bool, err error) {
	select {
	case res, more := <-o.pending:
		if !more {
			return v, false, nil
		}
		select {
		case r := <-res:
			return r.v, r.err == nil, r.err
		case <-o.ctx.Done():
			return v, false, o.ctx.Err()
		}
	case <-o.ctx.Done():
		return v, false, o.ctx.Err()
	}
}

// close stops the dispatcher and the workers and closes the input.
func (o *ordered[T]) close() {
	if o.closed {
		return
	}
	o.closed = true
	o.cancel()
	if o.in.op != nil {
		o.in.op.close() // ends a dispatcher waiting for the scan's next batch
	}
	o.wg.Wait()
}

// Package exec runs logical plans (package plan) over columnar batches.
// Each plan node becomes a pull-based operator whose Next returns the next
// batch of rows; scans stream from their source, so memory grows with
// aggregation groups, sort inputs and join build sides, not with the input.
package exec

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
)

// Source supplies the rows of tables.
type Source interface {
	// Read streams the named columns of table (in that order) to fn, one
	// batch at a time. It stops early when fn returns an error.
	Read(ctx context.Context, table string, cols []string, fn func(*column.Batch) error) error
}

// BoundedSource is a Source that can skip rows outside bounds that the
// query's filters imply (see plan.Bounds); it may return such rows too.
type BoundedSource interface {
	Source
	ReadBounded(ctx context.Context, table string, cols []string, bounds []plan.Bound,
		fn func(*column.Batch) error) error
}

// Options configure a run.
type Options struct {
	Source  Source
	Context *functions.Context // now() and friends
	Logger  *slog.Logger
	// Warn, if set, receives warnings about the result (a plugin answered
	// from partial knowledge); they are also logged.
	Warn func(msg string)
	// Workers is how many goroutines run the streaming operators above a
	// scan and summarize's partial aggregation: 0 means
	// runtime.GOMAXPROCS(0), 1 runs them on the query's goroutine.
	Workers int
}

// ErrInternal marks a failure of huntql itself rather than of the query or data.
var ErrInternal = errors.New("internal error")

// operator is a running plan node.
type operator interface {
	// next returns the next batch, or nil at the end.
	next() (*column.Batch, error)
	// close releases resources; it may be called before the end.
	close()
}

// runner holds the state shared by the operators of one run.
type runner struct {
	ctx    context.Context
	src    Source
	fctx   *functions.Context
	logger *slog.Logger
	evals  map[*plan.Evaluate]*evaluateOp // to report the columns of open plugins
	warn   func(msg string)
	feed   *column.Batch // the rows ApplySource leaves read while a mv-apply builds
	graph  *graph        // the graph whose matches graph-match evaluates
	// cache holds each materialized node's result, computed once per run.
	cache map[*plan.Materialize][]*column.Batch
	// partRows is a stack of the rows of the partitions being run.
	partRows [][]*column.Batch
	// samples counts the sample operators built so far in the run, so that
	// each evaluation of a sample draws its own rows.
	samples uint64
	// nworkers is Options.Workers, resolved.
	nworkers int
}

func newRunner(ctx context.Context, opts Options) *runner {
	r := &runner{ctx: ctx, src: opts.Source, fctx: opts.Context, logger: opts.Logger,
		evals: map[*plan.Evaluate]*evaluateOp{},
		cache: map[*plan.Materialize][]*column.Batch{}, warn: opts.Warn, nworkers: opts.Workers}
	if r.nworkers <= 0 {
		r.nworkers = runtime.GOMAXPROCS(0)
	}
	if r.fctx == nil {
		r.fctx = &functions.Context{}
	}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	if r.warn == nil {
		r.warn = func(msg string) { r.logger.Warn(msg) }
	}
	return r
}

// Run executes n and returns its whole result.
func Run(ctx context.Context, n plan.Node, opts Options) (tab *column.Table, err error) {
	defer func() {
		if p := recover(); p != nil {
			tab, err = nil, fmt.Errorf("%w: %v", ErrInternal, p)
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	return newRunner(ctx, opts).run(n)
}

// run executes n to its whole result.
func (r *runner) run(n plan.Node) (*column.Table, error) {
	if _, multi := n.(*plan.Tables); multi {
		return nil, fmt.Errorf("%w: several result tables; use RunTables", ErrInternal)
	}
	op, err := r.build(n)
	if err != nil {
		return nil, err
	}
	defer op.close()
	tab := &column.Table{Schema: n.Schema()}
	for {
		b, err := op.next()
		if err == nil {
			err = r.fctx.Err() // a function failed the query, as assert() does
		}
		if err != nil {
			return nil, err
		}
		if b == nil {
			if s := r.actualSchema(n); s != nil {
				tab.Schema = s
			}
			return tab, nil
		}
		if b.N > 0 {
			tab.Batches = append(tab.Batches, b)
		}
	}
}

// cancelable checks for cancellation before each batch of its input, so
// that a cancelled query stops between batches even where no scan reads.
type cancelable struct {
	operator
	ctx context.Context
}

func (c cancelable) next() (*column.Batch, error) {
	if err := c.ctx.Err(); err != nil {
		return nil, err
	}
	return c.operator.next()
}

// build turns a plan node into an operator.
func (r *runner) build(n plan.Node) (operator, error) {
	switch n := n.(type) {
	case *plan.Scan, *plan.Filter, *plan.Project, *plan.Parse, *plan.MvExpand, *plan.Join:
		if op, ok, err := r.parallelStream(n); ok {
			return op, err
		}
	case *plan.Aggregate:
		if op, ok, err := r.parallelAggregate(n); ok {
			return op, err
		}
	}
	switch n := n.(type) {
	case *plan.Scan:
		return r.scan(n, nil), nil
	case *plan.Filter:
		if op, ok, err := r.boundedScan(n); ok {
			return op, err
		}
	case *plan.Values:
		return r.values(n)
	case *plan.Range:
		return r.rangeOp(n)
	case *plan.Union:
		return r.union(n)
	case *plan.Materialize:
		return r.materialize(n)
	case *plan.PartitionInput:
		return r.partitionInput()
	case *plan.ExternalData:
		return r.externalData(n)
	case *plan.ApplySource:
		return &feedOp{b: r.feed}, nil
	case *plan.GraphMatch:
		return r.graphMatch(n)
	case *plan.GraphToTable:
		return r.graphToTable(n)
	case plan.Graph:
		return nil, errorf("a graph is not a table; follow make-graph with a graph operator")
	}
	ins := n.Inputs()
	children := make([]operator, len(ins))
	for i, in := range ins {
		op, err := r.build(in)
		if err != nil {
			for _, c := range children[:i] {
				c.close()
			}
			return nil, err
		}
		children[i] = cancelable{op, r.ctx}
	}
	var op operator
	var err error
	switch n := n.(type) {
	case *plan.Filter:
		op, err = r.filter(n, children[0])
	case *plan.Project:
		op, err = r.project(n, children[0])
	case *plan.Aggregate:
		op, err = r.aggregate(n, children[0])
	case *plan.Sort:
		op, err = r.sort(n.Keys, -1, children[0])
	case *plan.Top:
		count := n.N
		if count, err = r.rowCount(n.Count, count); err == nil {
			op, err = r.sort(n.Keys, count, children[0])
		}
	case *plan.Limit:
		count := n.N
		if count, err = r.rowCount(n.Count, count); err == nil {
			op = &limitOp{in: children[0], left: count}
		}
	case *plan.Count:
		op = &countOp{in: children[0]}
	case *plan.Join:
		op, err = r.join(n, children[0], children[1])
	case *plan.MvExpand:
		op = newMvExpand(n, children[0])
	case *plan.Partition:
		op, err = r.partition(n, children[0])
	case *plan.Evaluate:
		var ev operator
		ev, err = r.evaluate(n, children)
		if err == nil {
			r.evals[n] = ev.(*evaluateOp)
			op = ev
		}
	case *plan.MakeSeries:
		op, err = r.makeSeries(n, children[0])
	case *plan.Serialize:
		op, err = r.serialize(n, children[0])
	case *plan.Sample:
		op = r.sample(n, children[0])
	case *plan.StepScan:
		op, err = r.stepScan(n, children[0])
	case *plan.TopNested:
		op, err = r.topNested(n, children[0])
	case *plan.Parse:
		op, err = r.parse(n, children[0])
	case *plan.MvApply:
		op = &mvApplyOp{r: r, n: n, in: children[0]}
	case *plan.ParseKv:
		op, err = r.parseKv(n, children[0])
	case *plan.Reduce:
		op, err = r.reduce(n, children[0])
	default:
		err = fmt.Errorf("%w: no operator for %T", ErrInternal, n)
	}
	if err != nil {
		for _, c := range children {
			c.close()
		}
		return nil, err
	}
	return op, nil
}

// scanOp streams a table from the source on its own goroutine, so that
// reading and decoding overlap with the rest of the pipeline.
type scanOp struct {
	batches chan *column.Batch
	errc    chan error
	cancel  context.CancelFunc
	done    bool
}

func (r *runner) scan(n *plan.Scan, bounds []plan.Bound) operator {
	ctx, cancel := context.WithCancel(r.ctx)
	op := &scanOp{batches: make(chan *column.Batch, 4), errc: make(chan error, 1), cancel: cancel}
	// Read only the needed columns; the others stay null (nothing reads them).
	cols, widen := scanColumns(n)
	if r.src == nil {
		close(op.batches)
		op.errc <- nil
		return op
	}
	go func() {
		defer close(op.batches)
		read := r.src.Read
		if bs, ok := r.src.(BoundedSource); ok && len(bounds) > 0 {
			read = func(ctx context.Context, table string, cols []string,
				fn func(*column.Batch) error,
			) error {
				return bs.ReadBounded(ctx, table, cols, bounds, fn)
			}
		}
		err := read(ctx, n.Table, cols, func(b *column.Batch) error {
			select {
			case op.batches <- widen(b):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		op.errc <- err
	}()
	return op
}

func (op *scanOp) next() (*column.Batch, error) {
	if op.done {
		return nil, nil
	}
	if b, ok := <-op.batches; ok {
		return b, nil
	}
	op.done = true
	return nil, <-op.errc
}

func (op *scanOp) close() {
	op.cancel()
	for range op.batches {
	}
}

// boundedScan builds a chain of filters directly above a scan, handing
// the scan what the filters imply (plan.Bounds) when the source can use
// it. ok is false for a filter over anything else. The bounds belong to
// this chain, not to the scan: a scan shared by two branches (a let used
// twice) is read once per branch, each with its own filters.
func (r *runner) boundedScan(f *plan.Filter) (op operator, ok bool, err error) {
	chain := []*plan.Filter{f}
	for {
		g, isFilter := chain[len(chain)-1].Input.(*plan.Filter)
		if !isFilter {
			break
		}
		chain = append(chain, g)
	}
	scan, isScan := chain[len(chain)-1].Input.(*plan.Scan)
	if _, bounded := r.src.(BoundedSource); !isScan || !bounded {
		return nil, false, nil
	}
	preds := make([]plan.Expr, len(chain))
	for i, g := range chain {
		preds[i] = g.Pred
	}
	op = r.scan(scan, plan.Bounds(scan, preds, r.constValue))
	for i := len(chain) - 1; i >= 0; i-- {
		next, err := r.filter(chain[i], cancelable{op, r.ctx})
		if err != nil {
			op.close()
			return nil, true, err
		}
		op = next
	}
	return op, true, nil
}

// constValue computes a constant expression, if it is one.
func (r *runner) constValue(e plan.Expr) (any, bool) {
	if !constant(e) {
		return nil, false
	}
	c, err := r.compile(e)
	if err != nil {
		return nil, false
	}
	b := &column.Batch{N: 1}
	v := c.eval(b)
	if v.Len() != 1 {
		return nil, false
	}
	return v.Value(0), true
}

// filterOp keeps the rows whose predicate is true.
type filterOp struct {
	in   operator
	pred *compiled
}

func (r *runner) filter(n *plan.Filter, in operator) (operator, error) {
	pred, err := r.compile(n.Pred)
	if err != nil {
		return nil, err
	}
	return &filterOp{in: in, pred: pred}, nil
}

func (op *filterOp) next() (*column.Batch, error) {
	for {
		b, err := op.in.next()
		if b == nil || err != nil {
			return nil, err
		}
		if testEncodeDicts != nil {
			b = testEncodeDicts(b)
		}
		idx, all := selection(op.pred.eval(b), b.N)
		if all {
			return b, nil
		}
		if len(idx) > 0 {
			return gather(b, idx), nil
		}
	}
}

func (op *filterOp) close() { op.in.close() }

// truthy reports whether row i of a predicate vector is true; a dynamic
// predicate is true when it holds the boolean true.
func truthy(v *column.Vector, i int) bool {
	if v.IsNull(i) {
		return false
	}
	if v.Bool != nil {
		return v.Bool[i]
	}
	b, ok := v.Value(i).(bool)
	return ok && b
}

// projectOp computes output columns from input batches.
type projectOp struct {
	in    operator
	exprs []*compiled
}

func (r *runner) project(n *plan.Project, in operator) (operator, error) {
	op := &projectOp{in: in}
	for _, e := range n.Exprs {
		c, err := r.compile(e)
		if err != nil {
			return nil, err
		}
		op.exprs = append(op.exprs, c)
	}
	return op, nil
}

func (op *projectOp) next() (*column.Batch, error) {
	b, err := op.in.next()
	if b == nil || err != nil {
		return nil, err
	}
	if testEncodeDicts != nil {
		b = testEncodeDicts(b)
	}
	out := &column.Batch{Cols: make([]*column.Vector, len(op.exprs)), N: b.N}
	for i, e := range op.exprs {
		out.Cols[i] = e.eval(b)
	}
	return out, nil
}

func (op *projectOp) close() { op.in.close() }

// limitOp passes the first rows through.
type limitOp struct {
	in   operator
	left int64
}

func (op *limitOp) next() (*column.Batch, error) {
	if op.left <= 0 {
		return nil, nil
	}
	b, err := op.in.next()
	if b == nil || err != nil {
		return nil, err
	}
	if int64(b.N) > op.left {
		idx := make([]int, op.left)
		for i := range idx {
			idx[i] = i
		}
		b = b.Gather(idx)
	}
	op.left -= int64(b.N)
	return b, nil
}

func (op *limitOp) close() { op.in.close() }

// countOp counts its input rows.
type countOp struct {
	in   operator
	done bool
}

func (op *countOp) next() (*column.Batch, error) {
	if op.done {
		return nil, nil
	}
	op.done = true
	var n int64
	for {
		b, err := op.in.next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		n += int64(b.N)
	}
	v := column.New(typesLong, 1)
	v.Append(n)
	return &column.Batch{Cols: []*column.Vector{v}, N: 1}, nil
}

func (op *countOp) close() { op.in.close() }

// batchOp yields prepared batches; it serves materializing operators.
type batchOp struct {
	batches []*column.Batch
	in      []operator // closed with the op
}

func (op *batchOp) next() (*column.Batch, error) {
	if len(op.batches) == 0 {
		return nil, nil
	}
	b := op.batches[0]
	op.batches = op.batches[1:]
	return b, nil
}

func (op *batchOp) close() {
	for _, in := range op.in {
		in.close()
	}
}

// drain reads all batches of op.
func drain(op operator) ([]*column.Batch, error) {
	var out []*column.Batch
	for {
		b, err := op.next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			return out, nil
		}
		if b.N > 0 {
			out = append(out, b)
		}
	}
}

// rowCount returns take's or top's row count: n, or the value of count
// when the count is decided at run time (a null or negative value keeps no
// row).
func (r *runner) rowCount(count plan.Expr, n int64) (int64, error) {
	if count == nil {
		return n, nil
	}
	f, err := r.rowFunc(count)
	if err != nil {
		return 0, err
	}
	switch v := f(nil, 0).(type) {
	case int64:
		return max(v, 0), nil
	case int32:
		return max(int64(v), 0), nil
	}
	return 0, nil
}

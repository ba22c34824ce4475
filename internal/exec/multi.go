package exec

import (
	"context"
	"fmt"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
)

// This file runs materialize, partition and several-table results.

// RunTables executes every table of t (fork, facet) in one run, so that a
// materialized input is computed once for all of them.
func RunTables(ctx context.Context, t *plan.Tables, opts Options,
) (tabs []*column.Table, err error) {
	defer func() {
		if p := recover(); p != nil {
			tabs, err = nil, fmt.Errorf("%w: %v", ErrInternal, p)
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := newRunner(ctx, opts)
	for _, n := range t.Ins {
		tab, err := r.run(n)
		if err != nil {
			return nil, err
		}
		tabs = append(tabs, tab)
	}
	return tabs, nil
}

// materialize yields the cached result of n, computing it on first use.
func (r *runner) materialize(n *plan.Materialize) (operator, error) {
	bs, ok := r.cache[n]
	if !ok {
		in, err := r.build(n.Input)
		if err != nil {
			return nil, err
		}
		bs, err = drain(in)
		in.close()
		if err != nil {
			return nil, err
		}
		r.cache[n] = bs
	}
	return &batchOp{batches: append([]*column.Batch(nil), bs...)}, nil
}

// partition runs n.Sub once per distinct key value over that value's rows.
func (r *runner) partition(n *plan.Partition, in operator) (operator, error) {
	run := func() ([]*column.Batch, error) {
		bs, err := drain(in)
		if err != nil {
			return nil, err
		}
		groups := map[string][]int{}
		var order []string
		all := concat(bs)
		if all == nil {
			return nil, nil
		}
		var key []byte
		for i := 0; i < all.N; i++ {
			key = appendKey(key[:0], all.Cols[n.Key], i)
			if _, seen := groups[string(key)]; !seen {
				order = append(order, string(key))
			}
			groups[string(key)] = append(groups[string(key)], i)
		}
		if n.MaxParts > 0 && len(order) > n.MaxParts {
			return nil, fmt.Errorf("partition by %s: the legacy strategy (the default) allows "+
				"at most %d partitions, found %d values; use hint.strategy=native or shuffle",
				n.Input.Schema()[n.Key].Name, n.MaxParts, len(order))
		}
		var out []*column.Batch
		for _, k := range order {
			r.partRows = append(r.partRows, split(all.Gather(groups[k])))
			sub, err := r.build(n.Sub)
			if err == nil {
				var got []*column.Batch
				got, err = drain(sub)
				sub.close()
				out = append(out, got...)
			}
			r.partRows = r.partRows[:len(r.partRows)-1]
			if err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return &lazyOp{in: in, run: run}, nil
}

// partitionInput yields the rows of the innermost running partition.
func (r *runner) partitionInput() (operator, error) {
	if len(r.partRows) == 0 {
		return nil, fmt.Errorf("%w: partition input outside a partition", ErrInternal)
	}
	bs := r.partRows[len(r.partRows)-1]
	return &batchOp{batches: append([]*column.Batch(nil), bs...)}, nil
}

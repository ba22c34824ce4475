package exec

import (
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// mvApplyOp runs mv-apply: for each input row it expands the row and runs
// the sub-pipeline over the expanded rows.
type mvApplyOp struct {
	r  *runner
	n  *plan.MvApply
	in operator
}

// feedOp yields one batch: the rows an ApplySource stands for.
type feedOp struct {
	b *column.Batch
}

func (op *feedOp) next() (*column.Batch, error) {
	b := op.b
	op.b = nil
	return b, nil
}

func (op *feedOp) close() {}

// runOver runs n with its ApplySource leaves reading rows, and returns its
// whole result (nil when empty).
func (r *runner) runOver(n plan.Node, rows *column.Batch) (*column.Batch, error) {
	saved := r.feed
	r.feed = rows
	op, err := r.build(n)
	r.feed = saved
	if err != nil {
		return nil, err
	}
	defer op.close()
	bs, err := drain(op)
	if err != nil {
		return nil, err
	}
	return concat(bs), nil
}

func (op *mvApplyOp) next() (*column.Batch, error) {
	n := op.n
	for {
		b, err := op.in.next()
		if b == nil || err != nil {
			return nil, err
		}
		out := column.NewBatch(n.Out, b.N)
		kept := make([]bool, len(n.Out))
		for _, j := range n.Place {
			kept[j] = true
		}
		for i := 0; i < b.N; i++ {
			if err := op.r.ctx.Err(); err != nil {
				return nil, err
			}
			sub, err := op.r.runOver(n.Expand, b.Gather([]int{i}))
			if err != nil {
				return nil, err
			}
			if sub == nil {
				// An empty array still makes an (empty) sub-table.
				sub = column.NewBatch(n.Expand.Schema(), 0)
			}
			res, err := op.r.runOver(n.Body, sub)
			if err != nil {
				return nil, err
			}
			if res == nil {
				continue
			}
			for k := 0; k < res.N; k++ {
				for j, c := range n.Keep {
					if !kept[j] {
						out.Cols[j].AppendFrom(b.Cols[c], i)
					}
				}
				for j, p := range n.Place {
					out.Cols[p].AppendFrom(res.Cols[j], k)
				}
				out.N++
			}
		}
		if out.N > 0 {
			return out, nil
		}
	}
}

func (op *mvApplyOp) close() { op.in.close() }

// castElement gives an expanded element the type t of mv-expand's "to
// typeof(t)". The cast does not parse: an element of another kind, such as
// the string "1" for a long, becomes null. Numbers convert between numeric
// types; other types go through Kusto's to*() conversion.
func castElement(v any, t types.Type) any {
	if v == nil || t == types.Dynamic {
		return v
	}
	switch t {
	case types.Int, types.Long, types.Real, types.Decimal:
		switch v.(type) {
		case int64, int32, float64, decimal.Decimal:
		default:
			return nil
		}
	case types.Bool:
		if _, ok := v.(bool); !ok {
			return nil
		}
	}
	return castDynamic(v, t)
}

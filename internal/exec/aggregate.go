package exec

import (
	"encoding/binary"
	"math"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

const typesLong = types.Long

// aggregateOp is a hash aggregation: it consumes its whole input, then
// yields one row per group (keys, then aggregate outputs).
type aggregateOp struct {
	in    operator
	n     *plan.Aggregate
	keys  []*compiled
	args  [][]*compiled // per aggregate, its arguments
	aggs  []*functions.Aggregate
	types [][]types.Type // per aggregate, its argument types
	out   *batchOp
}

// group is one group's key values and accumulators.
type group struct {
	keys []any
	accs []functions.Accumulator
}

func (r *runner) aggregate(n *plan.Aggregate, in operator) (operator, error) {
	op := &aggregateOp{in: in, n: n}
	for _, k := range n.Keys {
		c, err := r.compile(k)
		if err != nil {
			return nil, err
		}
		op.keys = append(op.keys, c)
	}
	for _, a := range n.Aggs {
		fn, ok := functions.LookupAggregate(a.Name)
		if !ok {
			return nil, errorf("aggregate %s is not implemented", a.Name)
		}
		var args []*compiled
		var ts []types.Type
		for _, x := range a.Args {
			c, err := r.compile(x)
			if err != nil {
				return nil, err
			}
			args = append(args, c)
			ts = append(ts, x.Type())
		}
		op.aggs = append(op.aggs, fn)
		op.args = append(op.args, args)
		op.types = append(op.types, ts)
	}
	return op, nil
}

func (op *aggregateOp) newGroup(keys []any) *group {
	g := &group{keys: keys, accs: make([]functions.Accumulator, len(op.aggs))}
	for i, a := range op.aggs {
		g.accs[i] = a.New(op.types[i])
	}
	return g
}

func (op *aggregateOp) run() error {
	index := map[string]*group{}
	var order []*group
	var keyBuf []byte
	keyVecs := make([]*column.Vector, len(op.keys))
	argVecs := make([][]*column.Vector, len(op.aggs))
	for {
		b, err := op.in.next()
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		for k, c := range op.keys {
			keyVecs[k] = c.eval(b)
		}
		for a, args := range op.args {
			argVecs[a] = argVecs[a][:0]
			for _, c := range args {
				argVecs[a] = append(argVecs[a], c.eval(b))
			}
		}
		vals := make([]any, 8)
		for i := 0; i < b.N; i++ {
			keyBuf = keyBuf[:0]
			for _, v := range keyVecs {
				keyBuf = appendKey(keyBuf, v, i)
			}
			g := index[string(keyBuf)]
			if g == nil {
				keys := make([]any, len(keyVecs))
				for k, v := range keyVecs {
					keys[k] = v.Value(i)
				}
				g = op.newGroup(keys)
				index[string(keyBuf)] = g
				order = append(order, g)
			}
			for a, acc := range g.accs {
				vs := argVecs[a]
				vals = vals[:0]
				for _, v := range vs {
					vals = append(vals, v.Value(i))
				}
				acc.Add(vals)
			}
		}
	}
	if len(op.keys) == 0 && len(order) == 0 {
		order = append(order, op.newGroup(nil)) // summarize without by: one row always
	}
	op.out = &batchOp{}
	out := column.NewBatch(op.n.Out, min(len(order), column.BatchSize))
	for _, g := range order {
		c := 0
		for _, k := range g.keys {
			out.Cols[c].Append(conform(k, op.n.Out[c].Type))
			c++
		}
		for _, acc := range g.accs {
			for _, v := range acc.Result() {
				out.Cols[c].Append(conform(v, op.n.Out[c].Type))
				c++
			}
		}
		out.N++
		if out.N == column.BatchSize {
			op.out.batches = append(op.out.batches, out)
			out = column.NewBatch(op.n.Out, column.BatchSize)
		}
	}
	if out.N > 0 {
		op.out.batches = append(op.out.batches, out)
	}
	return nil
}

func (op *aggregateOp) next() (*column.Batch, error) {
	if op.out == nil {
		if err := op.run(); err != nil {
			return nil, err
		}
	}
	return op.out.next()
}

func (op *aggregateOp) close() { op.in.close() }

// appendKey appends an unambiguous encoding of row i of v to buf, so that
// equal Kusto values (and only those) encode equally within one column.
func appendKey(buf []byte, v *column.Vector, i int) []byte {
	if v.IsNull(i) {
		return append(buf, 0)
	}
	buf = append(buf, 1)
	switch {
	case v.Int != nil:
		return binary.LittleEndian.AppendUint64(buf, uint64(v.Int[i]))
	case v.Str != nil:
		buf = binary.AppendUvarint(buf, uint64(len(v.Str[i])))
		return append(buf, v.Str[i]...)
	case v.Real != nil:
		f := v.Real[i]
		if f == 0 {
			f = 0 // -0 groups with 0
		}
		return binary.LittleEndian.AppendUint64(buf, math.Float64bits(f))
	case v.Bool != nil:
		if v.Bool[i] {
			return append(buf, 1)
		}
		return append(buf, 0)
	}
	s := types.Format(v.Any[i])
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

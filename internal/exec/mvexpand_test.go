package exec

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// batchesOp yields the given batches in turn.
type batchesOp struct{ batches []*column.Batch }

func (o *batchesOp) next() (*column.Batch, error) {
	if len(o.batches) == 0 {
		return nil, nil
	}
	b := o.batches[0]
	o.batches = o.batches[1:]
	return b, nil
}

func (o *batchesOp) close() {}

// expandRows is mv-expand row by row, appending every column value by
// value: the reference for mvExpandOp.expand.
func expandRows(op *mvExpandOp, b *column.Batch) *column.Batch {
	out := column.NewBatch(op.n.Out, b.N)
	expanded := map[int]int{}
	for k, c := range op.n.Cols {
		expanded[c] = k
	}
	for i := 0; i < b.N; i++ {
		lists := make([][]any, len(op.n.Cols))
		rows := 0
		for k, c := range op.n.Cols {
			lists[k] = op.elements(b.Cols[c].Value(i))
			rows = max(rows, len(lists[k]))
		}
		if op.n.Limit > 0 && int64(rows) > op.n.Limit {
			rows = int(op.n.Limit)
		}
		for r := 0; r < rows; r++ {
			for c := range b.Cols {
				k, isExp := expanded[c]
				if !isExp {
					out.Cols[c].AppendFrom(b.Cols[c], i)
					continue
				}
				var v any
				if r < len(lists[k]) {
					v = lists[k][r]
				}
				out.Cols[c].Append(castElement(v, op.n.Types[k]))
			}
			if op.n.ItemIndex != "" {
				out.Cols[len(b.Cols)].Append(int64(r))
			}
			out.N++
		}
	}
	return out
}

// mvBatch builds n rows of (s string, d dynamic, e dynamic, x long, z
// string of nulls), s dictionary encoded when dict is set. Dynamic values
// are arrays, bags (some shared by several rows), scalars and nulls.
func mvBatch(n int, rng *rand.Rand, dict bool) *column.Batch {
	shared := []any{}
	for k := 0; k < 3; k++ {
		bag := types.NewBag()
		for j := 0; j <= k; j++ {
			bag.Set(fmt.Sprint("k", j), int64(j))
		}
		shared = append(shared, bag)
	}
	dyn := func() any {
		switch rng.IntN(7) {
		case 0:
			return nil
		case 1:
			return []any{}
		case 2:
			arr := make([]any, rng.IntN(4)+1)
			for j := range arr {
				arr[j] = []any{int64(j), "t", 1.5, true, nil}[rng.IntN(5)]
			}
			return arr
		case 3:
			return shared[rng.IntN(len(shared))]
		case 4:
			bag := types.NewBag()
			bag.Set("a", "x")
			bag.Set("b", []any{int64(1)})
			return bag
		case 5:
			return "scalar"
		}
		return int64(rng.IntN(9))
	}
	strs := []string{"p", "q", "r"}
	b := &column.Batch{N: n, Cols: []*column.Vector{
		column.New(types.String, n), column.New(types.Dynamic, n),
		column.New(types.Dynamic, n), column.New(types.Long, n), column.Null(types.String, n),
	}}
	codes := make([]int32, n)
	for i := 0; i < n; i++ {
		k := rng.IntN(len(strs))
		codes[i] = int32(k)
		b.Cols[0].Append(strs[k])
		b.Cols[1].Append(dyn())
		b.Cols[2].Append(dyn())
		if rng.IntN(5) == 0 {
			b.Cols[3].Append(nil)
		} else {
			b.Cols[3].Append(int64(i))
		}
	}
	if dict {
		b.Cols[0].Dict, b.Cols[0].Codes = strs, codes
	}
	return b
}

// TestMvExpandMatchesRows checks mv-expand's gathering expansion against
// the row by row one, over one and two expanded columns, typed, limited,
// with an item index and with bagexpansion=array.
func TestMvExpandMatchesRows(t *testing.T) {
	in := column.Schema{{Name: "s", Type: types.String}, {Name: "d", Type: types.Dynamic},
		{Name: "e", Type: types.Dynamic}, {Name: "x", Type: types.Long},
		{Name: "z", Type: types.String}}
	with := func(out column.Schema, c int, t types.Type) column.Schema {
		out = append(column.Schema(nil), out...)
		out[c].Type = t
		return out
	}
	idx := append(append(column.Schema(nil), in...), column.Field{Name: "i", Type: types.Long})
	cases := []struct {
		name string
		n    plan.MvExpand
	}{
		{"one", plan.MvExpand{Cols: []int{1}, Types: []types.Type{types.Dynamic}, Out: in}},
		{"two", plan.MvExpand{Cols: []int{1, 2}, Types: []types.Type{types.Dynamic,
			types.Dynamic}, Out: in}},
		{"typed", plan.MvExpand{Cols: []int{1, 2}, Types: []types.Type{types.Long,
			types.String}, Out: with(with(in, 1, types.Long), 2, types.String)}},
		{"limit", plan.MvExpand{Cols: []int{1}, Types: []types.Type{types.Dynamic},
			Limit: 2, Out: in}},
		{"itemindex", plan.MvExpand{Cols: []int{2}, Types: []types.Type{types.Dynamic},
			ItemIndex: "i", Out: idx}},
		{"bagarray", plan.MvExpand{Cols: []int{1, 2}, Types: []types.Type{types.Dynamic,
			types.Dynamic}, BagArray: true, Out: in}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 6))
			for k := 0; k < 6; k++ {
				b := mvBatch([]int{1, 7, 300, 1000, 0, 50}[k], rng, k%2 == 0)
				op := &mvExpandOp{n: &tc.n}
				want, got := expandRows(op, b), op.expand(b)
				if got.N != want.N || len(got.Cols) != len(want.Cols) {
					t.Fatalf("batch %d: %d rows, %d columns; want %d, %d", k, got.N,
						len(got.Cols), want.N, len(want.Cols))
				}
				if got.N == 0 {
					continue
				}
				for c := range want.Cols {
					if i := sameVectors(got.Cols[c], want.Cols[c]); i >= 0 {
						t.Fatalf("batch %d, column %d, row %d: %v, want %v", k, c, i,
							valueAt(got.Cols[c], i), valueAt(want.Cols[c], i))
					}
				}
				if k%2 == 0 && got.Cols[0].Codes == nil {
					t.Fatal("the expansion dropped the dictionary")
				}
				if !sharedNulls(got.Cols[4]) {
					t.Fatal("the column of nulls was copied")
				}
			}
			// next skips batches that expand to nothing
			op := newMvExpand(&tc.n, &batchesOp{batches: []*column.Batch{
				mvBatch(0, rng, false), mvBatch(40, rng, true)}})
			if b, err := op.next(); err != nil || b == nil || b.N == 0 {
				t.Fatalf("next: %v, %v", b, err)
			}
		})
	}
}

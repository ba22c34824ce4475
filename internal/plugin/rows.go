package plugin

import (
	"github.com/huntql/huntql/internal/types"
)

func init() {
	Register(&Plugin{Name: "preview", Bind: bindPreview, Run: runPreview})
	Register(&Plugin{Name: "rows_near", Bind: bindRowsNear, Run: runRowsNear})
}

func bindPreview(b *Binding) (*Bound, error) {
	if len(b.Args) != 1 {
		return nil, argErrorf(-1, "expected the number of rows, found %d arguments", len(b.Args))
	}
	if _, _, err := constCount(b, 0); err != nil {
		return nil, err
	}
	return &Bound{Out: b.Input}, nil
}

// constCount returns argument i, a constant non-negative integer.
func constCount(b *Binding, i int) (int64, bool, error) {
	a := b.Args[i]
	if !a.Const || (a.Type != types.Long && a.Type != types.Int) {
		return 0, false, argErrorf(i, "expected a constant integer, found %s", a.Type)
	}
	if !a.Known {
		return 0, false, nil
	}
	n, ok := ticks(a.Value)
	if !ok || n < 0 {
		return 0, false, argErrorf(i, "expected a non-negative integer")
	}
	return n, true, nil
}

// runPreview returns the first rows; semantic analysis adds the second
// table, the row count.
func runPreview(r *Run) (*Output, error) {
	n, _, err := constCount(r.Binding, 0)
	if err != nil {
		return nil, err
	}
	in := r.Input
	bld := newBuilder(in.Schema)
	for i := 0; i < in.N() && int64(i) < n; i++ {
		for c := range in.Schema {
			bld.copyCol(c, in.Rows.Cols[c], i)
		}
		bld.n++
	}
	return bld.table(), nil
}

func bindRowsNear(b *Binding) (*Bound, error) {
	if len(b.Args) < 2 || len(b.Args) > 3 {
		return nil, argErrorf(-1, "expected Condition, NumRows and optional RowsAfter, "+
			"found %d arguments", len(b.Args))
	}
	if t := b.Args[0].Type; t != types.Bool {
		return nil, argErrorf(0, "expected a bool condition, found %s", t)
	}
	for i := 1; i < len(b.Args); i++ {
		if _, _, err := constCount(b, i); err != nil {
			return nil, err
		}
	}
	return &Bound{Out: b.Input}, nil
}

// runRowsNear keeps the rows within NumRows before and RowsAfter after a
// row whose condition is true, in input order.
func runRowsNear(r *Run) (*Output, error) {
	before, _, err := constCount(r.Binding, 1)
	if err != nil {
		return nil, err
	}
	after := before
	if len(r.Args) == 3 {
		after, _, _ = constCount(r.Binding, 2)
	}
	in := r.Input
	n := in.N()
	keep := make([]bool, n)
	for i := 0; i < n; i++ {
		if v, _ := r.Args[0].At(i).(bool); !v {
			continue
		}
		lo, hi := max(0, int64(i)-before), min(int64(n-1), int64(i)+after)
		for j := lo; j <= hi; j++ {
			keep[j] = true
		}
	}
	bld := newBuilder(in.Schema)
	for i, k := range keep {
		if !k {
			continue
		}
		for c := range in.Schema {
			bld.copyCol(c, in.Rows.Cols[c], i)
		}
		bld.n++
	}
	return bld.table(), nil
}

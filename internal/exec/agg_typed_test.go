package exec

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/sema"
	"github.com/huntql/huntql/internal/syntax"
)

// TestTypedAggregatesMatchRows checks dcount and hll fed hashes a column
// at a time (per dictionary value for K), min and max fed int64s and
// counts of rows,
// against their Add of boxed values, over every column type of testSchema,
// nulls included.
func TestTypedAggregatesMatchRows(t *testing.T) {
	query := `T | summarize dcount(K), dcount(S), dcount(L), dcount(I), dcount(D), dcount(R),
		dcount(B), dcount(Dyn), hll(K), hll(L), dcount(K, 0), dcountif(S, B), count(),
		min(L), max(L), min(I), max(I), min(D), max(D), max(R), min(S), maxif(L, B),
		count(L), countif(B) by I`
	script, err := syntax.Parse(syntax.NewSource("q", query))
	if err != nil {
		t.Fatal(err)
	}
	q, err := sema.Analyze(script, memCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	n, ok := q.Result().(*plan.Aggregate)
	if !ok {
		t.Fatalf("plan is %T", q.Result())
	}
	r := newRunner(context.Background(), Options{})
	hashed, err := r.aggEval(n)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := r.aggEval(n)
	if err != nil {
		t.Fatal(err)
	}
	for a, hm := range hashed.hashed {
		if want := a < 10; (hm != nil) != want {
			t.Fatalf("aggregate %d (%s): hashed %v", a, n.Aggs[a].Name, hm != nil)
		}
		if want := a >= 13 && a < 19; hashed.ints[a] != want {
			t.Fatalf("aggregate %d (%s): ints %v", a, n.Aggs[a].Name, hashed.ints[a])
		}
		if want := a == 12 || a == 22; hashed.rows[a] != want {
			t.Fatalf("aggregate %d (%s): rows %v", a, n.Aggs[a].Name, hashed.rows[a])
		}
		plain.hashed[a], plain.ints[a], plain.rows[a] = nil, false, false
	}
	batches := genBatches(rand.New(rand.NewPCG(13, 14)), 30000)
	ht, pt := hashed.newTable(), plain.newTable()
	for _, b := range batches {
		in := &column.Batch{N: b.N}
		for _, f := range n.Input.Schema() {
			in.Cols = append(in.Cols, b.Cols[testSchema.Index(f.Name)])
		}
		hashed.add(ht, in, 0)
		plain.add(pt, in, 0)
	}
	if ht.groups() != pt.groups() || ht.groups() == 0 {
		t.Fatalf("%d groups, want %d", ht.groups(), pt.groups())
	}
	for i := range ht.accs {
		if got, want := ht.accs[i].Result(), pt.accs[i].Result(); !reflect.DeepEqual(got,
			want) {
			t.Fatalf("group %d, aggregate %d (%s): %v, want %v", i/ht.naggs, i%ht.naggs,
				n.Aggs[i%ht.naggs].Name, got, want)
		}
	}
}

package exec

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/sema"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// TestSharedBagsMatchRows checks expressions over a dynamic column (and a
// string column) computed once per distinct (bag, string) pair against
// the row function, over rows sharing bags among arrays, scalars and
// nulls.
func TestSharedBagsMatchRows(t *testing.T) {
	r := newRunner(context.Background(), Options{})
	rng := rand.New(rand.NewPCG(17, 18))
	bags := make([]any, 6)
	for k := range bags {
		bag := types.NewBag()
		for j := 0; j <= k%3; j++ {
			bag.Set(fmt.Sprint("k", (k+j)%4), []any{int64(j), "v"}[j%2])
		}
		bags[k] = bag
	}
	for _, tc := range []struct {
		expr string
		str  bool
	}{
		{`tostring(bag_keys(Dyn)[0])`, false}, {`tostring(Dyn[S])`, true},
		{`array_length(bag_keys(Dyn)) + strlen(K)`, true}, {`Dyn.k1`, false},
		{`bag_merge(Dyn, bag_pack("x", K))`, true},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			script, err := syntax.Parse(syntax.NewSource("q", "T | project x = "+tc.expr))
			if err != nil {
				t.Fatal(err)
			}
			q, err := sema.Analyze(script, memCatalog{})
			if err != nil {
				t.Fatal(err)
			}
			c, err := r.compile(q.Result().(*plan.Project).Exprs[0])
			if err != nil {
				t.Fatal(err)
			}
			if c.bagDyn < 0 || (c.bagStr >= 0) != tc.str {
				t.Fatalf("columns %d, %d", c.bagDyn, c.bagStr)
			}
			used := false
			for k := 0; k < 5; k++ {
				n := 1 + rng.IntN(700)
				b := column.NewBatch(testSchema, n)
				for range n {
					for c, f := range testSchema {
						switch f.Name {
						case "Dyn":
							var v any = bags[rng.IntN(len(bags))]
							switch rng.IntN(8) {
							case 0:
								v = nil
							case 1:
								v = []any{int64(1)}
							case 2:
								v = "k1"
							}
							b.Cols[c].Append(v)
						case "K", "S":
							b.Cols[c].Append(fmt.Sprint("k", rng.IntN(5)))
						default:
							b.Cols[c].AppendNull()
						}
					}
				}
				b.N = n
				want := c.evalRows(b)
				if got := c.evalBags(b); got != nil {
					used = true
					if i := sameVectors(got, want); i >= 0 {
						t.Fatalf("batch %d, row %d: %v, want %v", k, i, valueAt(got, i),
							valueAt(want, i))
					}
				}
				if i := sameVectors(c.eval(b), want); i >= 0 {
					t.Fatalf("batch %d, row %d: eval differs", k, i)
				}
			}
			if !used {
				t.Fatal("the shared bags were never used")
			}
		})
	}
}

package exec

import (
	"math/rand/v2"
	"sort"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
)

// sample keeps n.N rows chosen uniformly at random (reservoir sampling),
// in input order. Each evaluation of the node draws anew, as Kusto's does
// (the named-expressions page: range x from 1 to 100 step 1 | sample 1 |
// as T | union T shows two different rows), yet a run is repeatable: the
// k-th evaluation in a run seeds its draw with n.Seed and k. A materialized
// sample is evaluated once, so its uses agree.
func (r *runner) sample(n *plan.Sample, in operator) operator {
	seed := n.Seed + r.samples*0x9e3779b97f4a7c15
	r.samples++
	return &lazyOp{in: in, run: func() ([]*column.Batch, error) {
		bs, err := drain(in)
		if err != nil {
			return nil, err
		}
		all := concat(bs)
		if all == nil {
			return nil, nil
		}
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		var keep []int
		for i := 0; i < all.N; i++ {
			switch {
			case int64(len(keep)) < n.N:
				keep = append(keep, i)
			default:
				if j := rng.Int64N(int64(i + 1)); j < n.N {
					keep[j] = i
				}
			}
		}
		if len(keep) == all.N {
			return split(all), nil
		}
		sort.Ints(keep)
		return split(all.Gather(keep)), nil
	}}
}

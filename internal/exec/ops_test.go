package exec

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
)

// TestFirstRowsMatchesStableSort checks the heap that top uses against a
// stable sort cut to the limit, with many ties so that input order counts.
func TestFirstRowsMatchesStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ n, limit int }{
		{0, 3}, {5, 0}, {5, 10}, {10, 3}, {100, 1}, {1000, 7}, {1000, 999},
	} {
		vals := make([]int, tc.n)
		for i := range vals {
			vals[i] = rng.IntN(10)
		}
		before := func(i, j int) bool {
			if vals[i] != vals[j] {
				return vals[i] > vals[j] // descending, as top does by default
			}
			return i < j
		}
		want := make([]int, tc.n)
		for i := range want {
			want[i] = i
		}
		sort.SliceStable(want, func(a, b int) bool { return vals[want[a]] > vals[want[b]] })
		if tc.limit < len(want) {
			want = want[:tc.limit]
		}
		got := firstRows(tc.n, tc.limit, before)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("firstRows(n=%d, limit=%d) = %v, want %v", tc.n, tc.limit, got, want)
		}
	}
}

package functions

import "math/bits"

// DcountIntersect estimates, for hll() sketches s1..sn, the distinct counts
// of s1, s1∩s2, ..., s1∩...∩sn, as the dcount_intersect plugin returns.
// Exact sketches are intersected exactly; otherwise each intersection is
// estimated by inclusion-exclusion over the unions. ok is false when a
// value is not a sketch (null counts as empty).
func DcountIntersect(vals []any) (counts []int64, ok bool) {
	sks := make([]*sketch, len(vals))
	exact := true
	for i, v := range vals {
		if v == nil {
			sks[i] = newSketch(14)
			continue
		}
		s, ok := decodeSketch(v)
		if !ok {
			return nil, false
		}
		sks[i] = s
		exact = exact && s.exact != nil
	}
	counts = make([]int64, len(sks))
	if exact {
		cur := sks[0].exact
		for i := range sks {
			if i > 0 {
				next := map[uint64]struct{}{}
				for h := range cur {
					if _, in := sks[i].exact[h]; in {
						next[h] = struct{}{}
					}
				}
				cur = next
			}
			counts[i] = int64(len(cur))
		}
		return counts, true
	}
	for k := range sks {
		var est int64
		for mask := 1; mask < 1<<(k+1); mask++ {
			u := newSketch(sks[0].p)
			for i := 0; i <= k; i++ {
				if mask&(1<<i) != 0 {
					u.merge(sks[i])
				}
			}
			if bits.OnesCount(uint(mask))%2 == 1 {
				est += u.count()
			} else {
				est -= u.count()
			}
		}
		est = max(est, 0)
		if k > 0 {
			est = min(est, counts[k-1])
		}
		counts[k] = est
	}
	return counts, true
}

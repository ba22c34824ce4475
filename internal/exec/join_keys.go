package exec

import (
	"math/bits"
	"unsafe"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// joinKeyMode names how a join hashes its key columns.
type joinKeyMode uint8

const (
	// joinKeyBytes encodes the keys of a row as bytes (any types, any number).
	joinKeyBytes joinKeyMode = iota
	// joinKeyStr is one string key.
	joinKeyStr
	// joinKeyInt is one integer-backed key (bool, int, long, datetime, timespan).
	joinKeyInt
	// joinKeyPair is two keys, each a string or integer-backed, packed into
	// two int64s: an integer as itself, a string as its id among the build
	// side's distinct strings of that key column.
	joinKeyPair
)

// intBacked reports whether vectors of type t hold int64s or bools, which
// joins hash as integers.
func intBacked(t types.Type) bool {
	switch t {
	case types.Bool, types.Int, types.Long, types.Datetime, types.Timespan:
		return true
	}
	return false
}

// chooseJoinKeyMode picks the specialized mode for keys of types ts, or
// joinKeyBytes when none fits.
func chooseJoinKeyMode(ts []types.Type) joinKeyMode {
	switch len(ts) {
	case 1:
		switch {
		case ts[0] == types.String:
			return joinKeyStr
		case intBacked(ts[0]):
			return joinKeyInt
		}
	case 2:
		ok := true
		for _, t := range ts {
			ok = ok && (t == types.String || intBacked(t))
		}
		if ok {
			return joinKeyPair
		}
	}
	return joinKeyBytes
}

// joinKeys assigns key groups: the build side's rows get a dense group id
// per distinct key, and probe rows the id of the equal build key. A row
// whose key holds a null is in no group (-1); so is a probe row whose key
// the build side lacks. Two keys are equal when every column is: strings
// byte for byte, integers by value, reals by value (-0 equals 0, NaN only
// the same NaN), other types by their formatted text.
type joinKeys struct {
	mode   joinKeyMode
	groups int32 // groups assigned so far

	strs  map[string]int32    // joinKeyStr: group of each string
	pairs *pairTable          // joinKeyInt, joinKeyPair: group of each (packed) key
	bytes map[string]int32    // joinKeyBytes: group of each encoded key
	ids   [2]map[string]int32 // joinKeyPair: ids of each string key column
	memo  [2]dictMemo         // probe-side ids per dictionary value

	buf    []byte     // joinKeyBytes: the key being encoded
	packed [2][]int64 // joinKeyPair: each key column as int64s
	strIDs []int32    // joinKeyPair: scratch for a string column's ids
}

// newJoinKeys returns the key table for keys of types ts; generic forces
// the byte-encoded path (for tests).
func newJoinKeys(ts []types.Type, generic bool) *joinKeys {
	k := &joinKeys{mode: joinKeyBytes}
	if !generic {
		k.mode = chooseJoinKeyMode(ts)
	}
	switch k.mode {
	case joinKeyStr:
		k.strs = map[string]int32{}
	case joinKeyInt:
		k.pairs = newPairTable()
	case joinKeyPair:
		k.pairs = newPairTable()
		for i, t := range ts {
			if t == types.String {
				k.ids[i] = map[string]int32{}
			}
		}
	default:
		k.bytes = map[string]int32{}
	}
	return k
}

// forProbe returns keys that look up k's build side with scratch of their
// own: probes never change the tables, so several may share them.
func (k *joinKeys) forProbe() *joinKeys {
	return &joinKeys{mode: k.mode, groups: k.groups, strs: k.strs, pairs: k.pairs,
		bytes: k.bytes, ids: k.ids}
}

// assign sets gid[i] to the group of row i of b keyed on cols. With insert
// (the build side) a new key gets the next group; without, it gets -1.
func (k *joinKeys) assign(b *column.Batch, cols []int, insert bool, gid []int32) {
	n := b.N
	gid = gid[:n]
	switch k.mode {
	case joinKeyStr:
		v := b.Cols[cols[0]]
		strGroups(k.strs, &k.groups, v, n, insert, &k.memo[0], gid)
	case joinKeyInt:
		k.assignInts(b.Cols[cols[0]], n, insert, gid)
	case joinKeyPair:
		k.assignPairs(b, cols, insert, gid)
	default:
		k.assignBytes(b, cols, insert, gid)
	}
	// A null in any key column puts the row in no group.
	for _, c := range cols {
		v := b.Cols[c]
		if v.Nulls == nil {
			continue
		}
		for i, null := range v.Nulls[:n] {
			if null {
				gid[i] = -1
			}
		}
	}
}

// strGroups looks each row's string of v up in m, adding new strings as
// groups numbered from *next when insert, writing -1 for misses otherwise.
// A probe vector with a dictionary smaller than the rows is looked up once
// per dictionary value.
func strGroups(m map[string]int32, next *int32, v *column.Vector, n int, insert bool,
	memo *dictMemo, out []int32,
) {
	if !insert && v.Codes != nil && len(v.Dict) < n {
		ids := memo.lookup(m, v.Dict)
		for i, c := range v.Codes[:n] {
			out[i] = ids[c]
		}
		return
	}
	for i, s := range v.Strings()[:n] {
		g, ok := m[s]
		if !ok {
			g = -1
			if insert {
				g = *next
				*next++
				m[s] = g
			}
		}
		out[i] = g
	}
}

// dictMemo keeps the ids of the values of the last dictionary seen, since
// consecutive batches of one source often share a dictionary.
type dictMemo struct {
	dict []string
	ids  []int32
}

func (d *dictMemo) lookup(m map[string]int32, dict []string) []int32 {
	if len(dict) > 0 && len(d.dict) == len(dict) && unsafe.SliceData(d.dict) ==
		unsafe.SliceData(dict) {
		return d.ids
	}
	d.dict = dict
	d.ids = d.ids[:0]
	for _, s := range dict {
		g, ok := m[s]
		if !ok {
			g = -1
		}
		d.ids = append(d.ids, g)
	}
	return d.ids
}

func (k *joinKeys) assignInts(v *column.Vector, n int, insert bool, gid []int32) {
	look := func(i int, x int64) {
		gid[i] = k.lookPair(x, 0, insert)
	}
	if v.Type == types.Bool {
		for i, x := range v.Bool[:n] {
			look(i, boolInt(x))
		}
		return
	}
	for i, x := range v.Int[:n] {
		look(i, x)
	}
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// assignPairs packs the two key columns into int64s and looks the pairs up.
func (k *joinKeys) assignPairs(b *column.Batch, cols []int, insert bool, gid []int32) {
	n := b.N
	for j := range 2 {
		k.packed[j] = k.packColumn(j, b.Cols[cols[j]], n, insert, k.packed[j][:0])
	}
	a, c := k.packed[0][:n], k.packed[1][:n]
	for i := range n {
		if a[i] < 0 && k.ids[0] != nil || c[i] < 0 && k.ids[1] != nil {
			gid[i] = -1 // a string the build side lacks
			continue
		}
		gid[i] = k.lookPair(a[i], c[i], insert)
	}
}

// lookPair returns the group of the packed key (a, b): with insert a new
// one when absent, without -1.
func (k *joinKeys) lookPair(a, b int64, insert bool) int32 {
	if !insert {
		return k.pairs.get(a, b)
	}
	g, found := k.pairs.getOrPut(a, b, k.groups)
	if !found {
		k.groups++
	}
	return g
}

// packColumn appends the int64 form of key column j (vector v) to out: an
// integer-backed value itself, a string its id in k.ids[j] (-1 if absent).
func (k *joinKeys) packColumn(j int, v *column.Vector, n int, insert bool, out []int64,
) []int64 {
	switch {
	case k.ids[j] != nil:
		ids := growInt32(k.strIDs, n)
		next := int32(len(k.ids[j]))
		strGroups(k.ids[j], &next, v, n, insert, &k.memo[j], ids)
		for _, id := range ids {
			out = append(out, int64(id))
		}
		k.strIDs = ids
		return out
	case v.Type == types.Bool:
		for _, x := range v.Bool[:n] {
			out = append(out, boolInt(x))
		}
		return out
	}
	return append(out, v.Int[:n]...)
}

// assignBytes encodes each row's keys as bytes and looks them up.
func (k *joinKeys) assignBytes(b *column.Batch, cols []int, insert bool, gid []int32) {
	for i := range b.N {
		k.buf = k.buf[:0]
		null := false
		for _, c := range cols {
			v := b.Cols[c]
			if v.IsNull(i) {
				null = true
				break
			}
			k.buf = appendKey(k.buf, v, i)
		}
		if null {
			gid[i] = -1
			continue
		}
		g, ok := k.bytes[string(k.buf)]
		if !ok {
			g = -1
			if insert {
				g = k.groups
				k.groups++
				k.bytes[string(k.buf)] = g
			}
		}
		gid[i] = g
	}
}

func growInt32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// pairTable maps pairs of int64s to group ids: open addressing with linear
// probing, faster than a Go map keyed on [2]int64 and free of per-entry
// allocations.
type pairTable struct {
	slots []pairSlot
	mask  uint64
	n     int
}

type pairSlot struct {
	a, b int64
	g    int32 // group + 1; 0 marks an empty slot
}

func newPairTable() *pairTable {
	return &pairTable{slots: make([]pairSlot, 16), mask: 15}
}

func pairHash(a, b int64) uint64 {
	h := uint64(a)*0x9e3779b97f4a7c15 ^ bits.RotateLeft64(uint64(b)*0xc2b2ae3d27d4eb4f, 31)
	h ^= h >> 32
	h *= 0xd6e8feb86659fd93
	return h ^ h>>32
}

// get returns the group of (a, b), or -1.
func (t *pairTable) get(a, b int64) int32 {
	for i := pairHash(a, b) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.g == 0 {
			return -1
		}
		if s.a == a && s.b == b {
			return s.g - 1
		}
	}
}

// getOrPut returns the group of (a, b), adding it as group g when absent.
func (t *pairTable) getOrPut(a, b int64, g int32) (int32, bool) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	for i := pairHash(a, b) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.g == 0 {
			*s = pairSlot{a: a, b: b, g: g + 1}
			t.n++
			return g, false
		}
		if s.a == a && s.b == b {
			return s.g - 1, true
		}
	}
}

func (t *pairTable) grow() {
	old := t.slots
	t.slots = make([]pairSlot, 2*len(old))
	t.mask = uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.g == 0 {
			continue
		}
		i := pairHash(s.a, s.b) & t.mask
		for t.slots[i].g != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = s
	}
}

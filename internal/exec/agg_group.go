package exec

import (
	"unsafe"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// A grouper numbers the groups of a summarize by their key values, 0, 1,
// 2, ... in order of first appearance. Equal Kusto values (and only those)
// share a group within a key column, as appendKey encodes them; a null key
// is a group of its own. Specialized groupers hash a single string key, a
// single integer-backed key (int, long, datetime, timespan) and two keys of
// those kinds directly; the generic one hashes appendKey's encoding.
type grouper interface {
	// assign sets ids[i] to the group of row i of keys for the first n
	// rows, numbering new groups from size() on in row order.
	assign(keys []*column.Vector, n int, ids []int32)
	// size returns the number of groups so far.
	size() int
}

// keyKind is how a specialized grouper reads a key column.
type keyKind uint8

const (
	kindOther keyKind = iota
	kindStr
	kindInt
)

func keyKindOf(t types.Type) keyKind {
	switch t {
	case types.String:
		return kindStr
	case types.Int, types.Long, types.Datetime, types.Timespan:
		return kindInt
	}
	return kindOther
}

// newGrouper returns the grouper for keys of the given types.
func newGrouper(keyTypes []types.Type) grouper {
	switch len(keyTypes) {
	case 0:
		return &noKeyGrouper{}
	case 1:
		switch keyKindOf(keyTypes[0]) {
		case kindStr:
			return &strGrouper{m: map[string]int32{}, null: -1}
		case kindInt:
			return &intGrouper{m: map[int64]int32{}, null: -1}
		}
	case 2:
		k0, k1 := keyKindOf(keyTypes[0]), keyKindOf(keyTypes[1])
		if k0 != kindOther && k1 != kindOther {
			return &pairGrouper{m: map[uint64]int32{}, kinds: [2]keyKind{k0, k1}}
		}
	}
	return &bytesGrouper{m: map[string]int32{}}
}

// noKeyGrouper is summarize without by: every row is in group 0.
type noKeyGrouper struct{ n int }

func (g *noKeyGrouper) assign(_ []*column.Vector, n int, ids []int32) {
	if n > 0 {
		g.n = 1
	}
	for i := range ids[:n] {
		ids[i] = 0
	}
}

func (g *noKeyGrouper) size() int { return g.n }

// strAt returns row i of a string key column and whether it is null. A
// vector without its typed slice (never made by huntql's readers) is read
// through Value.
func strAt(v *column.Vector, i int) (string, bool) {
	if v.Nulls != nil && v.Nulls[i] {
		return "", true
	}
	if v.Str != nil {
		return v.Str[i], false
	}
	x := v.Value(i)
	if x == nil {
		return "", true
	}
	s, _ := x.(string)
	return s, false
}

// intAt returns row i of an integer-backed key column and whether it is null.
func intAt(v *column.Vector, i int) (int64, bool) {
	if v.Nulls != nil && v.Nulls[i] {
		return 0, true
	}
	if v.Int != nil {
		return v.Int[i], false
	}
	switch x := v.Value(i).(type) {
	case int64:
		return x, false
	case int32:
		return int64(x), false
	case types.Date:
		return int64(x), false
	case types.Duration:
		return int64(x), false
	}
	return 0, true
}

// strGrouper groups by one string column. A dictionary-encoded column is
// looked up once per dictionary value (codeMemo).
type strGrouper struct {
	m     map[string]int32
	null  int32 // the null group, or -1
	n     int32
	codes codeMemo
}

func (g *strGrouper) id(s string) int32 { return groupID(g.m, &g.n, s) }

// groupID returns the group of key k in m, numbering a new key *n and
// counting it.
func groupID[K comparable](m map[K]int32, n *int32, k K) int32 {
	id, ok := m[k]
	if !ok {
		id = *n
		*n++
		m[k] = id
	}
	return id
}

func (g *strGrouper) assign(keys []*column.Vector, n int, ids []int32) {
	v := keys[0]
	if codes := g.codes.of(v, n); codes != nil {
		for i, c := range v.Codes[:n] {
			id := codes[c]
			if id < 0 {
				id = int64(g.id(v.Dict[c]))
				codes[c] = id
			}
			ids[i] = int32(id)
		}
		return
	}
	if v.Str != nil && v.Nulls == nil {
		for i, s := range v.Str[:n] {
			ids[i] = g.id(s)
		}
		return
	}
	for i := range ids[:n] {
		s, null := strAt(v, i)
		if !null {
			ids[i] = g.id(s)
			continue
		}
		if g.null < 0 {
			g.null = g.n
			g.n++
		}
		ids[i] = g.null
	}
}

// codeMemo keeps a key column's numbers per dictionary code for the last
// dictionary seen. The batches cut from one row group share their
// dictionary, so each of its values is looked up once per row group, not
// once per batch, however few rows a filter left in each batch.
type codeMemo struct {
	dict []string
	ids  []int64 // per code, its number, or -1 when not looked up yet
}

// codeMemoMin is the size up to which a new dictionary is taken whatever
// the rows of the batch; a larger one must be at most twice the rows.
const codeMemoMin = 1 << 16

// of returns the numbers per code of v's dictionary, to fill in lazily, or
// nil when v has no dictionary (or nulls) or one too large to be worth it
// for n rows.
func (m *codeMemo) of(v *column.Vector, n int) []int64 {
	if v.Codes == nil || v.Nulls != nil || len(v.Dict) == 0 {
		return nil
	}
	if len(m.dict) == len(v.Dict) && unsafe.SliceData(m.dict) == unsafe.SliceData(v.Dict) {
		return m.ids
	}
	if len(v.Dict) > max(2*n, codeMemoMin) {
		return nil
	}
	m.dict = v.Dict
	m.ids = m.ids[:0]
	for range v.Dict {
		m.ids = append(m.ids, -1)
	}
	return m.ids
}

func (g *strGrouper) size() int { return int(g.n) }

// intGrouper groups by one integer-backed column.
type intGrouper struct {
	m    map[int64]int32
	null int32 // the null group, or -1
	n    int32
}

func (g *intGrouper) assign(keys []*column.Vector, n int, ids []int32) {
	v := keys[0]
	if v.Int != nil && v.Nulls == nil {
		var last int64
		var lastID int32
		for i, x := range v.Int[:n] {
			if i > 0 && x == last { // sorted data (time bins) comes in runs
				ids[i] = lastID
				continue
			}
			id := groupID(g.m, &g.n, x)
			ids[i], last, lastID = id, x, id
		}
		return
	}
	for i := range ids[:n] {
		x, null := intAt(v, i)
		if null {
			if g.null < 0 {
				g.null = g.n
				g.n++
			}
			ids[i] = g.null
			continue
		}
		id := groupID(g.m, &g.n, x)
		ids[i] = id
	}
}

func (g *intGrouper) size() int { return int(g.n) }

// pairGrouper groups by two string or integer-backed columns. Each
// column's values are numbered densely (null too, as a value of its own),
// and the pair of numbers is the group's key.
type pairGrouper struct {
	m     map[uint64]int32
	kinds [2]keyKind
	n     int32
	cols  [2]denseColumn
	ids   [2][]uint32 // scratch: the rows' numbers per column
}

// denseColumn numbers the distinct values of one key column from 0 up,
// null being a value of its own.
type denseColumn struct {
	ints    map[int64]uint32
	strs    map[string]uint32
	hasNull bool
	null    uint32 // null's number, when hasNull
	next    uint32
	codes   codeMemo
}

func (d *denseColumn) nullID() uint32 {
	if !d.hasNull {
		d.hasNull, d.null = true, d.next
		d.next++
	}
	return d.null
}

func (d *denseColumn) intID(x int64) uint32 {
	id, ok := d.ints[x]
	if !ok {
		if d.ints == nil {
			d.ints = map[int64]uint32{}
		}
		id = d.next
		d.next++
		d.ints[x] = id
	}
	return id
}

func (d *denseColumn) strID(s string) uint32 {
	id, ok := d.strs[s]
	if !ok {
		if d.strs == nil {
			d.strs = map[string]uint32{}
		}
		id = d.next
		d.next++
		d.strs[s] = id
	}
	return id
}

// number appends the numbers of n rows of v (of kind k) to out.
func (d *denseColumn) number(k keyKind, v *column.Vector, n int, out []uint32) []uint32 {
	switch {
	case k == kindInt && v.Int != nil && v.Nulls == nil:
		var last int64
		var lastID uint32
		for i, x := range v.Int[:n] {
			if i == 0 || x != last {
				last, lastID = x, d.intID(x)
			}
			out = append(out, lastID)
		}
	case k == kindInt:
		for i := range n {
			if x, null := intAt(v, i); null {
				out = append(out, d.nullID())
			} else {
				out = append(out, d.intID(x))
			}
		}
	case d.codes.of(v, n) != nil:
		codes := d.codes.ids
		for _, c := range v.Codes[:n] {
			id := codes[c]
			if id < 0 {
				id = int64(d.strID(v.Dict[c]))
				codes[c] = id
			}
			out = append(out, uint32(id))
		}
	default:
		for i := range n {
			if s, null := strAt(v, i); null {
				out = append(out, d.nullID())
			} else {
				out = append(out, d.strID(s))
			}
		}
	}
	return out
}

func (g *pairGrouper) assign(keys []*column.Vector, n int, ids []int32) {
	for c := range 2 {
		g.ids[c] = g.cols[c].number(g.kinds[c], keys[c], n, g.ids[c][:0])
	}
	a, b := g.ids[0], g.ids[1]
	for i := range ids[:n] {
		k := uint64(a[i])<<32 | uint64(b[i])
		id := groupID(g.m, &g.n, k)
		ids[i] = id
	}
}

func (g *pairGrouper) size() int { return int(g.n) }

// bytesGrouper groups by any keys through their appendKey encoding.
type bytesGrouper struct {
	m   map[string]int32
	n   int32
	buf []byte
}

func (g *bytesGrouper) assign(keys []*column.Vector, n int, ids []int32) {
	for i := range ids[:n] {
		g.buf = g.buf[:0]
		for _, v := range keys {
			g.buf = appendKey(g.buf, v, i)
		}
		id, ok := g.m[string(g.buf)]
		if !ok {
			id = g.n
			g.n++
			g.m[string(g.buf)] = id
		}
		ids[i] = id
	}
}

func (g *bytesGrouper) size() int { return int(g.n) }

package exec

import (
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

func kindOf(t types.Type) keyKind {
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
		switch kindOf(keyTypes[0]) {
		case kindStr:
			return &strGrouper{m: map[string]int32{}, null: -1}
		case kindInt:
			return &intGrouper{m: map[int64]int32{}, null: -1}
		}
	case 2:
		k0, k1 := kindOf(keyTypes[0]), kindOf(keyTypes[1])
		if k0 != kindOther && k1 != kindOther {
			return &pairGrouper{m: map[pairKey]int32{}, kinds: [2]keyKind{k0, k1}}
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
// looked up once per dictionary value used in the batch.
type strGrouper struct {
	m     map[string]int32
	null  int32 // the null group, or -1
	n     int32
	codes []int32 // per dictionary code, its group or -1 (scratch)
}

func (g *strGrouper) id(s string) int32 {
	id, ok := g.m[s]
	if !ok {
		id = g.n
		g.n++
		g.m[s] = id
	}
	return id
}

func (g *strGrouper) assign(keys []*column.Vector, n int, ids []int32) {
	v := keys[0]
	if v.Codes != nil && v.Nulls == nil && len(v.Dict) <= 2*n {
		codes := g.codes[:0]
		for range v.Dict {
			codes = append(codes, -1)
		}
		g.codes = codes
		for i, c := range v.Codes[:n] {
			id := codes[c]
			if id < 0 {
				id = g.id(v.Dict[c])
				codes[c] = id
			}
			ids[i] = id
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
		for i, x := range v.Int[:n] {
			id, ok := g.m[x]
			if !ok {
				id = g.n
				g.n++
				g.m[x] = id
			}
			ids[i] = id
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
		id, ok := g.m[x]
		if !ok {
			id = g.n
			g.n++
			g.m[x] = id
		}
		ids[i] = id
	}
}

func (g *intGrouper) size() int { return int(g.n) }

// pairKey is the key of two string or integer-backed columns; the fields of
// the other kind stay zero, and nulls has bit k set for a null key k.
type pairKey struct {
	s     [2]string
	i     [2]int64
	nulls uint8
}

// pairGrouper groups by two string or integer-backed columns.
type pairGrouper struct {
	m     map[pairKey]int32
	kinds [2]keyKind
	n     int32
}

func (g *pairGrouper) assign(keys []*column.Vector, n int, ids []int32) {
	for i := range ids[:n] {
		var k pairKey
		for c := range 2 {
			var null bool
			if g.kinds[c] == kindStr {
				k.s[c], null = strAt(keys[c], i)
			} else {
				k.i[c], null = intAt(keys[c], i)
			}
			if null {
				k.nulls |= 1 << c
			}
		}
		id, ok := g.m[k]
		if !ok {
			id = g.n
			g.n++
			g.m[k] = id
		}
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

package functions

import (
	"encoding/binary"
	"unsafe"

	"github.com/huntql/huntql/internal/types"
)

// This file lets the executor feed some aggregates typed values it reads a
// column at a time rather than a boxed value per row: dcount and hll take
// hashes (computed once per dictionary value of a string column), min and
// max of integer-backed columns their int64s.

// AddsHashes reports whether acc, made for nargs arguments, takes rows by
// AddHashes: its Add of a row depends only on its first argument's
// DistinctHash (nothing for a null), as for dcount and hll without an
// accuracy level.
func AddsHashes(acc Accumulator, nargs int) bool {
	a, ok := acc.(*sketchAcc)
	return ok && !a.mergeSketches && (a.accArg < 0 || a.accArg >= nargs)
}

// addRowHash adds the row of a non-null value hashing to h.
func (a *sketchAcc) addRowHash(h uint64) {
	if a.s == nil {
		a.s = newSketch(precisionFor(1))
	}
	a.s.addHash(h)
}

// AddHashes adds row i, of hash hs[i] (none when nulls[i]), to the
// accumulator accs[ids[i]*stride+at], which AddsHashes accepted, for each
// row of ids. nulls may be nil.
func AddHashes(accs []Accumulator, stride, at int, ids []int32, hs []uint64, nulls []bool) {
	hs = hs[:len(ids)]
	for i, id := range ids {
		if nulls == nil || !nulls[i] {
			accs[int(id)*stride+at].(*sketchAcc).addRowHash(hs[i])
		}
	}
}

// DistinctHash is the hash by which dcount tells values apart.
func DistinctHash(v any) uint64 { return valueHash(v) }

// StringHash is DistinctHash of the string s, without converting it.
func StringHash(s string) uint64 {
	return xxh64(unsafe.Slice(unsafe.StringData(s), len(s))) ^ stringTweak
}

// IntHash is DistinctHash of x as an int, long, datetime or timespan
// value, all of which hash as the 64-bit integer.
func IntHash(x int64) uint64 {
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], uint64(x))
	return xxh64(buf[:])
}

// AddsInts reports whether acc, made for nargs arguments of an
// integer-backed type (int, long, datetime, timespan), takes rows by
// AddInts: min and max.
func AddsInts(acc Accumulator, nargs int) bool {
	_, ok := acc.(*extremeAcc)
	return ok && nargs == 1
}

// AddInts adds row i, the value xs[i] of type t (none when nulls[i]), to
// the accumulator accs[ids[i]*stride+at], which AddsInts accepted, for
// each row of ids. nulls may be nil.
func AddInts(accs []Accumulator, stride, at int, ids []int32, xs []int64, nulls []bool,
	t types.Type,
) {
	xs = xs[:len(ids)]
	for i, id := range ids {
		if nulls == nil || !nulls[i] {
			accs[int(id)*stride+at].(*extremeAcc).addRowInt(xs[i], t)
		}
	}
}

// addRowInt adds the row of the non-null value x of type t: the value is
// boxed only when it becomes the extremum.
func (a *extremeAcc) addRowInt(x int64, t types.Type) {
	if a.best != nil {
		if !a.isInt {
			a.Add([]any{boxInt(x, t)})
			return
		}
		if a.sign > 0 && x <= a.bestInt || a.sign < 0 && x >= a.bestInt {
			return
		}
	}
	a.best, a.bestInt, a.isInt = boxInt(x, t), x, true
}

// AddsRows reports whether acc, made for nargs arguments, counts every
// row whatever its arguments: count() and count of a non-boolean.
func AddsRows(acc Accumulator, nargs int) bool {
	a, ok := acc.(*countAcc)
	return ok && (a.all || nargs == 0)
}

// AddRows counts each row of ids in the accumulator accs[ids[i]*stride+at],
// which AddsRows accepted.
func AddRows(accs []Accumulator, stride, at int, ids []int32) {
	for _, id := range ids {
		accs[int(id)*stride+at].(*countAcc).n++
	}
}

// AddWeighted counts w[i] rows for each row i of ids in the accumulator
// accs[ids[i]*stride+at], which AddsRows accepted: row i stands for w[i]
// equal rows.
func AddWeighted(accs []Accumulator, stride, at int, ids []int32, w []int64) {
	for i, id := range ids {
		accs[int(id)*stride+at].(*countAcc).n += w[i]
	}
}

// intBacked returns the int64 an integer-backed value holds.
func intBacked(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case types.Date:
		return int64(x), true
	case types.Duration:
		return int64(x), true
	}
	return 0, false
}

// boxInt returns x as the Go value of type t, as a column vector's Value
// does.
func boxInt(x int64, t types.Type) any {
	switch t {
	case types.Int:
		return int32(x)
	case types.Datetime:
		return types.Date(x)
	case types.Timespan:
		return types.Duration(x)
	}
	return x
}

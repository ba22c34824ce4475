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

// HashAdder is implemented by the accumulators of dcount and hll.
type HashAdder interface {
	Accumulator
	// AddHash adds a row whose argument is the non-null value v with
	// DistinctHash(v) == h. It stands for Add only where AddsHashes says.
	AddHash(h uint64)
}

// AddsHashes reports whether acc, made for nargs arguments, is a
// HashAdder whose Add of a row depends only on its first argument's
// DistinctHash (nothing for a null): dcount and hll without an accuracy
// level.
func AddsHashes(acc Accumulator, nargs int) bool {
	a, ok := acc.(*sketchAcc)
	return ok && !a.mergeSketches && (a.accArg < 0 || a.accArg >= nargs)
}

// AddHash adds the row of a value hashing to h (see HashAdder).
func (a *sketchAcc) AddHash(h uint64) {
	if a.s == nil {
		a.s = newSketch(precisionFor(1))
	}
	a.s.addHash(h)
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

// IntAdder is implemented by the accumulators of min and max.
type IntAdder interface {
	Accumulator
	// AddInt adds a row whose argument is the non-null value of type t
	// (int, long, datetime or timespan) held as x. It stands for Add only
	// where AddsInts says.
	AddInt(x int64, t types.Type)
}

// AddsInts reports whether acc, made for nargs arguments, is an IntAdder:
// min and max.
func AddsInts(acc Accumulator, nargs int) bool {
	_, ok := acc.(*extremeAcc)
	return ok && nargs == 1
}

// AddInt adds the row of the value x of type t (see IntAdder): the value
// is boxed only when it becomes the extremum.
func (a *extremeAcc) AddInt(x int64, t types.Type) {
	if a.best != nil {
		b, ok := intBacked(a.best)
		if !ok {
			a.Add([]any{boxInt(x, t)})
			return
		}
		if a.sign > 0 && x <= b || a.sign < 0 && x >= b {
			return
		}
	}
	a.best = boxInt(x, t)
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

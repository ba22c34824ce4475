package functions

import (
	"encoding/binary"
	"unsafe"
)

// This file lets the executor feed dcount and hll by hashes it computes a
// column at a time (once per dictionary value of a string column) rather
// than a boxed value per row.

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

package functions

import "github.com/huntql/huntql/internal/types"

// Merger is an Accumulator whose state over one run of rows can absorb the
// state of another accumulator of the same aggregate and argument types
// over the rows that follow that run. Merging the accumulators of
// consecutive runs in their order gives exactly the result of adding all
// the rows to one accumulator, ties and order of first appearance
// included, which lets summarize aggregate parts of its input in parallel.
//
// An accumulator may implement Merge and still refuse it for some argument
// types (a sum of reals depends on the order of its additions); CanMerge
// tells.
type Merger interface {
	Accumulator
	// Merge adds other's rows after the receiver's; other is not used
	// afterwards.
	Merge(other Accumulator)
}

// mergeChecker is implemented by accumulators that merge for some
// argument types only.
type mergeChecker interface {
	canMerge() bool
}

// CanMerge reports whether acc implements Merger and merges exactly for
// the argument types it was made for.
func CanMerge(acc Accumulator) bool {
	if _, ok := acc.(Merger); !ok {
		return false
	}
	if c, ok := acc.(mergeChecker); ok {
		return c.canMerge()
	}
	return true
}

// totalOrder reports whether Compare orders values of type t totally
// (NaN aside, which the extrema skip), so that the first of the largest
// values is the same however the rows are split into consecutive runs;
// dynamic values of different kinds need not compare consistently.
func totalOrder(t types.Type) bool {
	return t != types.Dynamic && t != types.Unknown
}

// commuter is implemented by accumulators whose merges may come in any
// order.
type commuter interface {
	commutes() bool
}

// MergeCommutes reports whether acc merges exactly (CanMerge) and its
// result does not depend on the order in which the parts are merged, nor
// on the order of the rows within them (count, sums of integers, dcount),
// so that the parts need not be runs of consecutive rows.
func MergeCommutes(acc Accumulator) bool {
	c, ok := acc.(commuter)
	return ok && c.commutes() && CanMerge(acc)
}

// identicalWhenEqual reports whether values of type t that compare equal
// are the same value, so that which of them an extremum keeps does not
// matter (0 and -0, or decimals 1.0 and 1.00, compare equal).
func identicalWhenEqual(t types.Type) bool {
	switch t {
	case types.Bool, types.Int, types.Long, types.Datetime, types.Timespan, types.String,
		types.Guid:
		return true
	}
	return false
}

func (a *countAcc) commutes() bool  { return true }
func (a *sumAcc) commutes() bool    { return true }
func (a *avgAcc) commutes() bool    { return true }
func (a *sketchAcc) commutes() bool { return true }
func (a *bitAcc) commutes() bool    { return true }
func (a *ifAcc) commutes() bool     { return MergeCommutes(a.inner) }
func (a *extremeAcc) commutes() bool {
	return a.commutative
}

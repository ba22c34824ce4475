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

package exec

import "github.com/huntql/huntql/internal/column"

// SetTestEncodeDicts turns on or off the dictionary encoding of the string
// columns of the batches that filters and projections read (for tests that
// run queries both ways). Consecutive batches share growing dictionaries.
func SetTestEncodeDicts(on bool) {
	if !on {
		testEncodeDicts = nil
		return
	}
	st := &dictState{}
	testEncodeDicts = func(b *column.Batch) *column.Batch { return encodeDicts(b, st) }
}

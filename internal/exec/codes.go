package exec

import (
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// Codes-only columns. A summarize over a store groups by string columns
// (DeviceId, ActionType) that the groupers number by dictionary code, once
// per dictionary value: the strings of the rows are never looked at, yet
// decoding them costs a slice of string headers per row, which the
// collector must scan. A column that the operators above the scan use only
// in such ways is read as codes alone (column.Vector.CodesOnly): as a
// summarize key, as dcount's argument (hashed per dictionary value), as a
// join key (looked up per dictionary value) and carried through filters
// and joins, which gather codes. Any other use, or an operator that might
// hand the vector to code that reads Str, keeps the column whole.

// codesOnlyColumns returns per column of scan whether summarize n over
// chain nodes (top first) uses it only through its codes; nil when none.
func codesOnlyColumns(n *plan.Aggregate, nodes []plan.Node, scan *plan.Scan) []bool {
	width := len(scan.Columns)
	ok := make([]bool, width)
	some := false
	for _, i := range neededIndexes(scan) {
		if scan.Columns[i].Type == types.String {
			ok[i], some = true, true
		}
	}
	if !some {
		return nil
	}
	// Below a join the scan's columns keep their indexes (its left columns
	// come first), so an index under width names a scan column throughout.
	drop := func(e plan.Expr) {
		eachColRef(e, func(c *plan.ColRef) bool {
			if c.Index < width {
				ok[c.Index] = false
			}
			return true
		})
	}
	for _, node := range nodes {
		switch x := node.(type) {
		case *plan.Filter:
			drop(x.Pred)
		case *plan.Join:
			// Its left keys are looked up by code (strGroups); its other
			// columns are gathered.
		default:
			return nil
		}
	}
	for _, k := range n.Keys {
		if _, bare := k.(*plan.ColRef); !bare {
			drop(k)
		}
	}
	for _, a := range n.Aggs {
		for j, x := range a.Args {
			_, bare := x.(*plan.ColRef)
			if j == 0 && bare && a.Name == "dcount" {
				continue
			}
			drop(x)
		}
	}
	for _, b := range ok {
		if b {
			return ok
		}
	}
	return nil
}

// neededCodes returns codes (per scan column) for the columns the scan
// reads, in order, as the source's Split takes them; nil when codes is.
func neededCodes(scan *plan.Scan, codes []bool) []bool {
	if codes == nil {
		return nil
	}
	var out []bool
	for _, i := range neededIndexes(scan) {
		out = append(out, codes[i])
	}
	return out
}

package exec

import (
	"slices"
	"sync/atomic"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// Folding repeated rows. A summarize over a chain of row-local operators
// (filter, extend and project, mv-expand) gives the same groups whether a
// row comes once with a count of three or three times: every row with the
// same values in the columns the chain reads yields the same rows out of
// it. Over telemetry the columns a hunt reads are often few and
// dictionary-encoded (ActionType, AdditionalFields), so a batch of 4096 rows
// may hold only a few dozen distinct combinations. A folded summarize keeps
// one row of each combination, in the order each first appears, with its
// count in a weight column appended after the scan's columns; the chain is
// rewritten to carry that column through, last in every node's output, and
// count() adds the weights. The other aggregates allowed (min, max, dcount
// and their -if forms) give the same answer over repeated rows, and the
// groups appear in the same order, so the result equals the unfolded one.
// A batch that does not repeat enough runs through the original chain.

// weightInsensitive lists the aggregates whose result over a row repeated k
// times equals their result over it once.
var weightInsensitive = map[string]bool{
	"min": true, "max": true, "minif": true, "maxif": true,
	"dcount": true, "dcountif": true,
}

// foldPlan is the rewritten chain of a folded summarize and what its
// folder needs.
type foldPlan struct {
	nodes  []plan.Node // the chain, top first, each passing the weight column on last
	needed []int       // the scan columns the chain and the summarize read
}

// planFold returns how to fold the rows of summarize n over chain nodes
// (top first) above scan, or nil when it cannot be folded.
func planFold(n *plan.Aggregate, nodes []plan.Node, scan *plan.Scan, rows []bool) *foldPlan {
	if len(nodes) == 0 {
		return nil // a summarize straight over a scan groups by the same columns
	}
	for a, call := range n.Aggs {
		if !rows[a] && !weightInsensitive[call.Name] {
			return nil
		}
	}
	fp := &foldPlan{needed: neededIndexes(scan)}
	if len(fp.needed) == 0 {
		return nil
	}
	width := len(scan.Columns) // where the weight column is, in the input of the node
	var input plan.Node = scan
	out := make([]plan.Node, len(nodes))
	for i := len(nodes) - 1; i >= 0; i-- {
		switch x := nodes[i].(type) {
		case *plan.Filter:
			c := *x
			c.Input = input
			out[i] = &c
		case *plan.Project:
			c := *x
			c.Input = input
			c.Exprs = append(append([]plan.Expr{}, x.Exprs...),
				&plan.ColRef{Index: width, Name: weightName, T: types.Long})
			c.Out = append(append(column.Schema{}, x.Out...),
				column.Field{Name: weightName, Type: types.Long})
			width = len(x.Exprs)
			out[i] = &c
		case *plan.MvExpand:
			if x.ItemIndex != "" {
				return nil // its column comes after the input's
			}
			c := *x
			c.Input = input
			c.Out = append(append(column.Schema{}, x.Out...),
				column.Field{Name: weightName, Type: types.Long})
			out[i] = &c
		default:
			return nil // parse and join append columns of their own
		}
		input = out[i]
	}
	fp.nodes = out
	return fp
}

// weightName names the weight column in rewritten nodes' schemas; no
// expression of the query refers to it by name.
const weightName = "__huntql_weight"

// testFolded counts the batches folded, for tests.
var testFolded atomic.Int64

// foldMax is the most folded rows a folder gathers before it hands them on.
const foldMax = column.BatchSize

// folder folds the batches of one worker. While consecutive batches share
// their dictionaries (the batches of one row group do), their rows are
// folded together, by the codes of the needed columns, and handed on when
// the dictionaries change, a batch cannot be folded, foldMax rows are
// gathered, or the unit ends (flush).
type folder struct {
	needed []int
	width  int          // columns of the scan's batches
	types  []types.Type // per scan column
	dicts  [][]string   // per needed column, the dictionary of the rows gathered
	stride []int        // per needed column, its codes' weight in a combination
	codes  [][]int32    // per needed column, the codes of the rows gathered
	in     [][]int32    // scratch: per needed column, the codes of the batch added
	w      []int64      // per row gathered, how many rows it stands for
	slot   []int32      // per combination of codes, its row gathered + 1 (0: none)
	seen   int          // rows folded into those gathered
	off    bool         // the current dictionaries repeat too little: fold no more
}

// add folds b into the rows gathered and returns the folded batches that
// are complete; ok is false when b cannot be folded (its needed columns are
// not all dictionary-encoded without nulls, or they repeat too little), and
// then out holds what was gathered before it.
func (f *folder) add(b *column.Batch) (out []*column.Batch, ok bool) {
	combos := 1
	same := f.dicts != nil
	for k, c := range f.needed {
		v := b.Cols[c]
		if v.Codes == nil || v.Nulls != nil || len(v.Dict) == 0 {
			return f.flush(), false
		}
		combos *= len(v.Dict)
		if combos > 1<<16 {
			return f.flush(), false
		}
		same = same && sameDict(f.dicts[k], v.Dict)
	}
	if !same {
		out = f.flush()
		f.start(b, combos)
	}
	if f.off {
		return out, false
	}
	in := f.in[:0]
	for _, c := range f.needed {
		in = append(in, b.Cols[c].Codes[:b.N])
	}
	f.in = in
	for i := range b.N {
		k := 0
		for j, codes := range in {
			k += int(codes[i]) * f.stride[j]
		}
		if s := f.slot[k]; s > 0 {
			f.w[s-1]++
			continue
		}
		for j, codes := range in {
			f.codes[j] = append(f.codes[j], codes[i])
		}
		f.w = append(f.w, 1)
		f.slot[k] = int32(len(f.w))
	}
	f.seen += b.N
	if f.seen >= 4*column.BatchSize && 4*len(f.w) > f.seen {
		f.off = true // hand on what was folded, and the rest as it comes
		return append(out, f.flush()...), true
	}
	if len(f.w) >= foldMax {
		out = append(out, f.flush()...)
	}
	return out, true
}

// sameDict reports whether a and b are the same dictionary (the same
// backing array, as the batches of one row group share).
func sameDict(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// start begins gathering rows over the dictionaries of b.
func (f *folder) start(b *column.Batch, combos int) {
	if f.types == nil {
		f.width = len(b.Cols)
		for _, v := range b.Cols {
			f.types = append(f.types, v.Type)
		}
		f.dicts, f.codes = make([][]string, len(f.needed)), make([][]int32, len(f.needed))
		f.stride = make([]int, len(f.needed))
	}
	stride := 1
	for k, c := range f.needed {
		f.dicts[k] = b.Cols[c].Dict
		f.stride[k] = stride
		stride *= len(f.dicts[k])
	}
	if cap(f.slot) < combos {
		f.slot = make([]int32, combos)
	}
	f.slot = f.slot[:combos]
	clear(f.slot)
	f.off = false
}

// flush returns the rows gathered as a batch of the scan's columns (the
// needed ones, the others null) and their weights as a last column, and
// starts gathering anew over the same dictionaries; nil when none are.
func (f *folder) flush() []*column.Batch {
	n := len(f.w)
	if n == 0 {
		return nil
	}
	testFolded.Add(1)
	out := &column.Batch{Cols: make([]*column.Vector, f.width+1), N: n}
	for c, t := range f.types {
		out.Cols[c] = column.Null(t, n)
	}
	for k, c := range f.needed {
		codes := slices.Clone(f.codes[k])
		str := make([]string, n)
		for i, code := range codes {
			str[i] = f.dicts[k][code]
		}
		out.Cols[c] = &column.Vector{Type: f.types[c], Str: str, Dict: f.dicts[k], Codes: codes}
		f.codes[k] = f.codes[k][:0]
	}
	out.Cols[f.width] = &column.Vector{Type: types.Long, Int: slices.Clone(f.w)}
	f.w = f.w[:0]
	f.seen = 0
	clear(f.slot)
	return []*column.Batch{out}
}

package exec

import (
	"encoding/binary"
	"math"
	"sort"
	"unsafe"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

const typesLong = types.Long

// aggregateOp is a hash aggregation: it consumes its whole input, then
// yields one row per group (keys, then aggregate outputs), in order of the
// groups' first rows. With par set, workers aggregate the input's batches
// (each batch apart) and the partial results are merged in input order.
type aggregateOp struct {
	in  operator
	par *ordered[*aggTable] // partial aggregates of the input's batches, or nil
	// tables are the workers' tables when each worker aggregates all its
	// batches into one (the merges commute); par's results are then these.
	tables []*aggTable
	ev     *aggEval
	n      *plan.Aggregate
	out    *batchOp
}

// aggEval evaluates the keys and aggregate arguments of a summarize over
// batches; each worker has its own.
type aggEval struct {
	keys     []*compiled
	keyTypes []types.Type
	args     [][]*compiled // per aggregate, its arguments
	aggs     []*functions.Aggregate
	types    [][]types.Type // per aggregate, its argument types
	keyVecs  []*column.Vector
	argVecs  [][]*column.Vector
	ids      []int32
	vals     []any
	// hashed holds per aggregate, when it takes its rows as hashes
	// (functions.AddsHashes: dcount), the hashes of its argument's
	// dictionary values; nil for the others.
	hashed []*hashMemo
	hashes []uint64 // scratch: a batch's hashes
	// ints tells per aggregate whether it takes integer-backed values as
	// int64s (functions.AddsInts: min, max), rows whether it counts rows
	// (functions.AddsRows: count).
	ints, rows []bool
}

func (r *runner) aggEval(n *plan.Aggregate) (*aggEval, error) {
	ev := &aggEval{}
	for _, k := range n.Keys {
		c, err := r.compile(k)
		if err != nil {
			return nil, err
		}
		ev.keys = append(ev.keys, c)
		ev.keyTypes = append(ev.keyTypes, k.Type())
	}
	for _, a := range n.Aggs {
		fn, ok := functions.LookupAggregate(a.Name)
		if !ok {
			return nil, errorf("aggregate %s is not implemented", a.Name)
		}
		var args []*compiled
		var ts []types.Type
		for _, x := range a.Args {
			c, err := r.compile(x)
			if err != nil {
				return nil, err
			}
			args = append(args, c)
			ts = append(ts, x.Type())
		}
		ev.aggs = append(ev.aggs, fn)
		ev.args = append(ev.args, args)
		ev.types = append(ev.types, ts)
		var hm *hashMemo
		acc := fn.New(ts)
		if len(args) > 0 && functions.AddsHashes(acc, len(args)) {
			hm = &hashMemo{}
		}
		ev.hashed = append(ev.hashed, hm)
		ev.ints = append(ev.ints, len(args) > 0 && keyKindOf(ts[0]) == kindInt &&
			functions.AddsInts(acc, len(args)))
		ev.rows = append(ev.rows, functions.AddsRows(acc, len(args)))
	}
	ev.keyVecs = make([]*column.Vector, len(ev.keys))
	ev.argVecs = make([][]*column.Vector, len(ev.aggs))
	return ev, nil
}

func (r *runner) aggregate(n *plan.Aggregate, in operator) (operator, error) {
	ev, err := r.aggEval(n)
	if err != nil {
		return nil, err
	}
	return &aggregateOp{in: in, n: n, ev: ev}, nil
}

// aggTable holds the groups of a summarize: their keys (one row per group)
// and accumulators (len(aggs) per group, group after group).
type aggTable struct {
	g       grouper
	keyCols []*column.Vector
	accs    []functions.Accumulator
	naggs   int
	n       int // the number of groups
	// first, when not nil, holds per group the position of its first row
	// (batch number << 32 + row).
	first []int64
}

func (ev *aggEval) newTable() *aggTable {
	t := &aggTable{g: newGrouper(ev.keyTypes), naggs: len(ev.aggs)}
	for _, kt := range ev.keyTypes {
		t.keyCols = append(t.keyCols, column.New(kt, 0))
	}
	return t
}

// groups returns the number of groups.
func (t *aggTable) groups() int { return t.n }

// newGroups adds the groups that assign numbered from old on: their keys
// from the row where each first appears, and fresh accumulators; pos is the
// position of row 0.
func (t *aggTable) newGroups(ev *aggEval, keys []*column.Vector, ids []int32, old int,
	pos int64,
) {
	next := int32(old)
	for i, id := range ids {
		if id != next {
			continue
		}
		for k, v := range keys {
			t.keyCols[k].Append(v.Value(i))
		}
		for a, fn := range ev.aggs {
			t.accs = append(t.accs, fn.New(ev.types[a]))
		}
		if t.first != nil {
			t.first = append(t.first, pos+int64(i))
		}
		next++
	}
	t.n = int(next)
}

// add aggregates the rows of b into t; pos is the position of its row 0.
func (ev *aggEval) add(t *aggTable, b *column.Batch, pos int64) {
	ev.addWeighted(t, b, pos, nil)
}

// addWeighted is add where row i of b stands for w[i] equal rows (see
// fold.go); w is nil when each row stands for itself.
func (ev *aggEval) addWeighted(t *aggTable, b *column.Batch, pos int64, w []int64) {
	for k, c := range ev.keys {
		ev.keyVecs[k] = c.eval(b)
	}
	for a, args := range ev.args {
		ev.argVecs[a] = ev.argVecs[a][:0]
		for _, c := range args {
			ev.argVecs[a] = append(ev.argVecs[a], c.eval(b))
		}
	}
	if cap(ev.ids) < b.N {
		ev.ids = make([]int32, b.N)
	}
	ids := ev.ids[:b.N]
	old := t.g.size()
	t.g.assign(ev.keyVecs, b.N, ids)
	if t.g.size() > old {
		t.newGroups(ev, ev.keyVecs, ids, old, pos)
	}
	na := t.naggs
	for a := range ev.aggs {
		vs := ev.argVecs[a]
		if hm := ev.hashed[a]; hm != nil {
			ev.addHashes(t, a, hm, vs[0], ids)
			continue
		}
		if ev.rows[a] {
			if w != nil {
				functions.AddWeighted(t.accs, na, a, ids, w[:len(ids)])
			} else {
				functions.AddRows(t.accs, na, a, ids)
			}
			continue
		}
		if ev.ints[a] && vs[0].Int != nil && keyKindOf(vs[0].Type) == kindInt {
			v := vs[0]
			functions.AddInts(t.accs, na, a, ids, v.Int, nullsOf(v, len(ids)), v.Type)
			continue
		}
		for i, id := range ids {
			vals := ev.vals[:0]
			for _, v := range vs {
				vals = append(vals, v.Value(i))
			}
			ev.vals = vals
			t.accs[int(id)*na+a].Add(vals)
		}
	}
}

// addHashes adds the rows of v to aggregate a of their groups, which take
// rows as hashes (functions.AddHashes); null rows add nothing.
func (ev *aggEval) addHashes(t *aggTable, a int, hm *hashMemo, v *column.Vector, ids []int32) {
	n := len(ids)
	if cap(ev.hashes) < n {
		ev.hashes = make([]uint64, n)
	}
	hs := ev.hashes[:n]
	functions.AddHashes(t.accs, t.naggs, a, ids, hs, hm.hash(v, hs))
}

// nullsOf returns the null mask of the first n rows of v, nil when it has
// none.
func nullsOf(v *column.Vector, n int) []bool {
	if v.Nulls == nil {
		return nil
	}
	return v.Nulls[:n]
}

// hashMemo computes functions.DistinctHash over vectors, keeping the
// hashes per dictionary code for the last dictionary seen (as codeMemo
// does group numbers), so that each value of a row group's dictionary is
// hashed once.
type hashMemo struct {
	dict []string
	hs   []uint64
	done []bool
}

// hash sets hs[i] to the hash of row i of v and returns which rows are
// null (nil when none is).
func (m *hashMemo) hash(v *column.Vector, hs []uint64) (nulls []bool) {
	n := len(hs)
	switch {
	case v.Type == types.String && m.dictionary(v, n):
		for i, c := range v.Codes[:n] {
			if !m.done[c] {
				m.hs[c], m.done[c] = functions.StringHash(v.Dict[c]), true
			}
			hs[i] = m.hs[c]
		}
		return nil
	case v.Type == types.String && v.Str != nil && v.Nulls == nil:
		for i, s := range v.Str[:n] {
			hs[i] = functions.StringHash(s)
		}
		return nil
	case keyKindOf(v.Type) == kindInt && v.Int != nil:
		for i, x := range v.Int[:n] {
			hs[i] = functions.IntHash(x)
		}
		if v.Nulls != nil {
			return v.Nulls[:n]
		}
		return nil
	}
	for i := range hs {
		x := v.Value(i)
		if x == nil {
			if nulls == nil {
				nulls = make([]bool, n)
			}
			nulls[i] = true
			continue
		}
		hs[i] = functions.DistinctHash(x)
	}
	return nulls
}

// dictionary reports whether the hashes of v's dictionary are kept,
// starting anew for a dictionary not seen last (when not too large for n
// rows).
func (m *hashMemo) dictionary(v *column.Vector, n int) bool {
	if v.Codes == nil || v.Nulls != nil || len(v.Dict) == 0 {
		return false
	}
	if len(m.dict) == len(v.Dict) && unsafe.SliceData(m.dict) == unsafe.SliceData(v.Dict) {
		return true
	}
	if len(v.Dict) > max(2*n, codeMemoMin) {
		return false
	}
	m.dict = v.Dict
	m.hs = append(m.hs[:0], make([]uint64, len(v.Dict))...)
	m.done = append(m.done[:0], make([]bool, len(v.Dict))...)
	return true
}

// merge adds to t the groups of p, a table over rows that follow t's:
// groups new to t are taken over, the others' accumulators merged.
func (ev *aggEval) merge(t, p *aggTable) {
	n := p.groups()
	if n == 0 {
		return
	}
	if cap(ev.ids) < n {
		ev.ids = make([]int32, n)
	}
	ids := ev.ids[:n]
	old := t.g.size()
	t.g.assign(p.keyCols, n, ids)
	na := t.naggs
	next := int32(old)
	for j, id := range ids {
		if id == next {
			for k, v := range p.keyCols {
				t.keyCols[k].Append(v.Value(j))
			}
			t.accs = append(t.accs, p.accs[j*na:(j+1)*na]...)
			next++
			continue
		}
		for a := range na {
			t.accs[int(id)*na+a].(functions.Merger).Merge(p.accs[j*na+a])
		}
	}
	t.n = int(next)
}

// byFirstRow returns the groups of tables, whose merges commute, as one
// table (with repeated keys) in order of first appearance, for merge.
func byFirstRow(tables []*aggTable) *aggTable {
	type ref struct {
		t   *aggTable
		g   int
		pos int64
	}
	var refs []ref
	for _, t := range tables {
		for g := range t.n {
			refs = append(refs, ref{t, g, t.first[g]})
		}
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].pos < refs[j].pos })
	out := &aggTable{naggs: tables[0].naggs, n: len(refs)}
	for _, kc := range tables[0].keyCols {
		out.keyCols = append(out.keyCols, column.New(kc.Type, len(refs)))
	}
	na := out.naggs
	for _, r := range refs {
		for k, kc := range r.t.keyCols {
			out.keyCols[k].Append(kc.Value(r.g))
		}
		out.accs = append(out.accs, r.t.accs[r.g*na:(r.g+1)*na]...)
	}
	return out
}

// result builds the output batches of t.
func (ev *aggEval) result(t *aggTable, out column.Schema) *batchOp {
	if len(ev.keys) == 0 && t.groups() == 0 {
		// summarize without by: one row always
		t.g.assign(nil, 1, []int32{0})
		t.newGroups(ev, nil, []int32{0}, 0, 0)
	}
	op := &batchOp{}
	ng := t.groups()
	b := column.NewBatch(out, min(ng, column.BatchSize))
	na := t.naggs
	for g := range ng {
		c := 0
		for _, kc := range t.keyCols {
			b.Cols[c].Append(conform(kc.Value(g), out[c].Type))
			c++
		}
		for _, acc := range t.accs[g*na : (g+1)*na] {
			for _, v := range acc.Result() {
				b.Cols[c].Append(conform(v, out[c].Type))
				c++
			}
		}
		b.N++
		if b.N == column.BatchSize {
			op.batches = append(op.batches, b)
			b = column.NewBatch(out, column.BatchSize)
		}
	}
	if b.N > 0 {
		op.batches = append(op.batches, b)
	}
	return op
}

func (op *aggregateOp) run() error {
	t := op.ev.newTable()
	if op.par != nil {
		for {
			p, ok, err := op.par.next()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			if op.tables == nil {
				op.ev.merge(t, p)
			}
		}
		if op.tables != nil {
			op.ev.merge(t, byFirstRow(op.tables))
		}
	} else {
		for {
			b, err := op.in.next()
			if err != nil {
				return err
			}
			if b == nil {
				break
			}
			op.ev.add(t, b, 0)
		}
	}
	op.out = op.ev.result(t, op.n.Out)
	return nil
}

func (op *aggregateOp) next() (*column.Batch, error) {
	if op.out == nil {
		if err := op.run(); err != nil {
			return nil, err
		}
	}
	return op.out.next()
}

func (op *aggregateOp) close() {
	if op.par != nil {
		op.par.close()
		return
	}
	op.in.close()
}

// appendKey appends an unambiguous encoding of row i of v to buf, so that
// equal Kusto values (and only those) encode equally within one column.
func appendKey(buf []byte, v *column.Vector, i int) []byte {
	if v.IsNull(i) {
		return append(buf, 0)
	}
	buf = append(buf, 1)
	switch {
	case v.Int != nil:
		return binary.LittleEndian.AppendUint64(buf, uint64(v.Int[i]))
	case v.Str != nil || v.Codes != nil:
		s := v.StrAt(i)
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		return append(buf, s...)
	case v.Real != nil:
		f := v.Real[i]
		if f == 0 {
			f = 0 // -0 groups with 0
		}
		return binary.LittleEndian.AppendUint64(buf, math.Float64bits(f))
	case v.Bool != nil:
		if v.Bool[i] {
			return append(buf, 1)
		}
		return append(buf, 0)
	}
	s := types.Format(v.Any[i])
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

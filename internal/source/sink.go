package source

import (
	"context"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// sink converts the rows of one table into batches of the requested
// columns and hands each full batch to the caller's function.
type sink struct {
	ctx    context.Context
	table  string
	fields column.Schema  // output columns, in output order
	slots  map[string]int // column name -> index in fields
	fn     func(*column.Batch) error
	b      *column.Batch
	// seen[i] == stamp marks output column i as set in the current row.
	seen  []uint64
	stamp uint64
	// order holds the keys of the last JSON row read, in order, with their
	// output columns: rows of one export list their keys alike, so the key
	// at a position is most likely the one the row before had there.
	order []keySlot

	// The fast path (see fastRow), for the sinks of chunks only.
	fastOn  bool
	fast    []fastKey
	fastBuf *byte // the chunk s.fast indexes
	fresh   []int // columns whose Nulls the current fast row created
	bails   int   // rows the fast path gave up on
	touch   byte  // sums the bytes touched ahead (see touchAhead)
	tnext   int   // the next index of the chunk to touch
}

// keySlot is a JSON key and its output column, -1 for a key not read.
type keySlot struct {
	key  string
	slot int
}

// maxOrder bounds the keys remembered in sink.order.
const maxOrder = 256

// slotOf returns the output column of key, the j-th key of its row, or -1.
func (s *sink) slotOf(j int, key []byte) int {
	if j < len(s.order) && s.order[j].key == string(key) && len(key) > 0 {
		return s.order[j].slot
	}
	slot, ok := s.slots[string(key)]
	if !ok {
		slot = -1
	}
	k := ""
	if plainRun(key) == len(key) {
		k = string(key) // only plain keys may be guessed (see lexer.membersGuess)
	}
	switch {
	case j < len(s.order):
		s.order[j] = keySlot{k, slot}
	case j == len(s.order) && j < maxOrder:
		s.order = append(s.order, keySlot{k, slot})
	}
	return slot
}

// guessKey returns the key the last row had at position j, or "".
func (s *sink) guessKey(j int) string {
	if j < len(s.order) {
		return s.order[j].key
	}
	return ""
}

func newSink(ctx context.Context, table string, fields column.Schema,
	fn func(*column.Batch) error) *sink {
	s := &sink{
		ctx:    ctx,
		table:  table,
		fields: fields,
		slots:  make(map[string]int, len(fields)),
		fn:     fn,
		seen:   make([]uint64, len(fields)),
	}
	for i, f := range fields {
		s.slots[f.Name] = i
	}
	s.b = column.NewBatch(fields, firstBatchCap)
	return s
}

// firstBatchCap is the capacity of a table's first batch. Later batches
// start at column.BatchSize; a small first one keeps small files cheap.
const firstBatchCap = 64

// beginRow starts a row. Each column is then set at most once through set.
func (s *sink) beginRow() { s.stamp++ }

// vector returns the vector of output column i for the current row; a
// column set twice (a repeated key) keeps the later value.
func (s *sink) vector(i int) *column.Vector {
	v := s.b.Cols[i]
	if s.seen[i] == s.stamp {
		popLast(v)
	}
	s.seen[i] = s.stamp
	return v
}

// endRow fills the columns the row lacked with nulls and flushes a full batch.
func (s *sink) endRow() error {
	for i, st := range s.seen {
		if st != s.stamp {
			s.b.Cols[i].AppendNull()
		}
	}
	s.b.N++
	if s.b.N >= column.BatchSize {
		return s.flush()
	}
	return nil
}

// flush hands the current batch, if not empty, to fn and starts a new one.
func (s *sink) flush() error {
	if s.b.N == 0 {
		return nil
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	b := s.b
	next := column.BatchSize
	if b.N < column.BatchSize {
		next = 0 // only the final flush is short: nothing more will come
	}
	s.b = column.NewBatch(s.fields, next)
	return s.fn(b)
}

// child returns a sink for the same table and columns, for one chunk of a
// file parsed by another goroutine, that hands its batches to fn. size is
// the chunk's size in bytes, which bounds its rows.
func (s *sink) child(size int, fn func(*column.Batch) error) *sink {
	c := &sink{
		ctx:    context.Background(),
		table:  s.table,
		fields: s.fields,
		slots:  s.slots, // only read
		fn:     fn,
		seen:   make([]uint64, len(s.fields)),
		fastOn: true,
	}
	c.b = column.NewBatch(s.fields, min(max(size/32, firstBatchCap), column.BatchSize))
	return c
}

// emit hands a batch made by a child to fn, after the rows pending here.
func (s *sink) emit(b *column.Batch) error {
	if err := s.flush(); err != nil {
		return err
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	return s.fn(b)
}

func (s *sink) want(table string) bool { return table == s.table }

// row converts one JSON row object into the batch.
func (s *sink) row(f *jsonFile, _ string) error {
	l := f.l
	if s.fastOn && s.bails < fastBailLimit && l.r == nil {
		if ok, err := s.fastRow(l); ok {
			return err
		}
	}
	s.beginRow()
	j := 0
	err := l.membersGuess(s.guessKey, func(key []byte) error {
		i := s.slotOf(j, key)
		j++
		if i < 0 {
			return l.skip(0)
		}
		if _, ok := l.skipWS(); !ok {
			return l.eofError("value")
		}
		line := l.line
		if err := appendJSON(l, s.vector(i)); err != nil {
			return f.badValue(err, line, s.fields[i].Name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.endRow()
}

// bagRow converts one decoded row into the batch.
func (s *sink) bagRow(f *jsonFile, _ string, row *types.Bag) error {
	s.beginRow()
	for _, key := range row.Keys() {
		i, ok := s.slots[key]
		if !ok {
			continue
		}
		val, _ := row.Get(key)
		if err := appendDynamic(s.vector(i), val); err != nil {
			return f.badValue(err, f.line, key)
		}
	}
	return s.endRow()
}

package source

import (
	"context"
	"errors"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/schema"
	"github.com/huntql/huntql/internal/types"
)

// Converter turns the records of one table into rows of a schema, with the
// same conversions as Set.Read.
type Converter struct {
	sk    *sink
	full  []*column.Batch
	slots []int // CSV: column slot of each header cell, for hdr
	hdr   []string
}

// NewConverter returns a converter into rows of fields.
func NewConverter(fields column.Schema) *Converter {
	c := &Converter{}
	c.sk = newSink(context.Background(), "", fields, func(b *column.Batch) error {
		c.full = append(c.full, b)
		return nil
	})
	return c
}

// Append converts rec into a row. check, when not nil, may refuse the row
// (row i of b). On error (a *DataError naming name, the record's line and
// the column, or check's error) nothing is appended.
func (c *Converter) Append(name string, rec *Record, check func(b *column.Batch, i int) error,
) error {
	b := c.sk.b
	n := b.N
	var err error
	if rec.Row != nil {
		f := &jsonFile{path: name, l: newBytesLexer(rec.Row), mode: modeRows}
		f.l.line = rec.Line
		f.line = rec.Line
		err = c.sk.row(f, "")
		var de *DataError
		if rec.Event > 0 && errors.As(err, &de) {
			de.Line, de.Event = 0, rec.Event // lines inside an event are no position
		}
	} else {
		err = c.csvRow(name, rec)
	}
	if err == nil && check != nil {
		if c.sk.b != b { // the row filled the batch, which was flushed
			b = c.full[len(c.full)-1]
			n = b.N - 1
		}
		if err = check(b, n); err != nil {
			b.N = n
		}
	}
	if err != nil {
		for _, v := range b.Cols {
			truncate(v, n)
		}
	}
	return err
}

func (c *Converter) csvRow(name string, rec *Record) error {
	if &rec.Header[0] != firstOf(c.hdr) {
		c.hdr = rec.Header
		c.slots = make([]int, len(rec.Header))
		for i, h := range rec.Header {
			slot, ok := c.sk.slots[h]
			if !ok {
				slot = -1
			}
			c.slots[i] = slot
		}
	}
	sk := c.sk
	sk.beginRow()
	for i, cell := range rec.Cells {
		slot := c.slots[i]
		if slot < 0 {
			continue
		}
		v := sk.vector(slot)
		if v.Type == types.String {
			pushStr(v, cell)
			continue
		}
		if err := appendScalar(v, kString, []byte(cell), true); err != nil {
			return &DataError{Path: name, Line: rec.Line, Column: rec.Header[i],
				Msg: err.Error(), Err: ErrBadValue}
		}
		if rec.head != nil && rec.head.cols[i].shift != 0 && v.Type == types.Datetime &&
			!v.IsNull(v.Len()-1) {
			v.Int[len(v.Int)-1] -= rec.head.cols[i].shift
		}
	}
	return sk.endRow()
}

func firstOf(s []string) *string {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}

// Batches returns the rows converted since the last call, in batches of up
// to column.BatchSize rows.
func (c *Converter) Batches() []*column.Batch {
	_ = c.sk.flush()
	out := c.full
	c.full = nil
	return out
}

// truncate cuts v to n rows.
func truncate(v *column.Vector, n int) {
	for v.Len() > n {
		popLast(v)
	}
}

// SampleRows is how many rows of each file InferSchema looks at, as Scan does.
const SampleRows = sampleRows

// InferSchema returns known (the columns a table already has; for a new
// table, nil gives its built-in definition) followed by the columns the
// records hold that known lacks, typed as Scan types them: the Sentinel
// type when Sentinel defines the column, else inferred from the values.
// The records should be the first SampleRows of each file.
func InferSchema(table string, known column.Schema, recs []*Record) column.Schema {
	if known == nil {
		known, _ = schema.Lookup(table)
	}
	c := newCollector()
	c.file = &fileInfo{}
	st := c.stats(table)
	st.known = map[string]bool{}
	for _, f := range known {
		st.known[f.Name] = true
	}
	var heads []*csvHead // in order of first appearance
	used := map[*csvHead][]bool{}
	for _, rec := range recs {
		if rec.Row != nil {
			f := &jsonFile{l: newBytesLexer(rec.Row), mode: modeRows}
			_ = c.row(f, table) // a damaged row is found again when converted
			continue
		}
		h := rec.head
		if h == nil { // made by hand: plain columns
			h = &csvHead{cols: make([]csvColumn, len(rec.Header))}
			for i, name := range rec.Header {
				h.cols[i].name = name
			}
		}
		u, ok := used[h]
		if !ok {
			heads = append(heads, h)
			if h.typed {
				u = make([]bool, len(h.cols))
			}
			used[h] = u
		}
		for i, cell := range rec.Cells {
			if u != nil && cell != "" {
				u[i] = true
			}
		}
	}
	// As Scan does: a file whose Type cells name the tables gives a table
	// the columns its rows fill; another CSV file, all of its header.
	for _, h := range heads {
		noteColumns(st, h.cols, used[h])
	}
	out := append(column.Schema(nil), known...)
	sentinel, _ := schema.LookupSentinel(table)
	for _, name := range st.extras {
		t := inferType(st.kinds[name])
		if i := sentinel.Index(name); i >= 0 {
			t = sentinel[i].Type
		}
		out = append(out, column.Field{Name: name, Type: t})
	}
	return out
}

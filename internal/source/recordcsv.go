package source

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// csvHead is what the rows of one CSV file share: the columns of its
// header, and whether each row's table came from its Type cell.
type csvHead struct {
	cols  []csvColumn
	typed bool
}

// csv reads a CSV file, one unit a row, as Set.Read does: a header's time
// zone suffix is dropped ("Timestamp [UTC]" is Timestamp, a [UTC+hh:mm]
// column is shifted to UTC when converted, [Local Time] is refused), and a
// file named after no table takes each row's table from its Type cell (see
// typeColumn).
func (rr *recordReader) csv(r io.Reader) error {
	rr.pos = Position{Offset: -1}
	tr := &tailReader{r: r}
	cr := csv.NewReader(tr)
	cr.FieldsPerRecord = -1
	header, err := readHeader(rr.name, cr)
	if err == nil && header != nil {
		var cols []csvColumn
		if cols, err = csvColumns(rr.name, header); err == nil {
			return rr.csvRows(cr, tr, header, cols)
		}
	}
	if err != nil {
		var de *DataError
		if errors.As(err, &de) {
			rr.pos.Line = 1
			rr.fault(de, bytes.TrimRight(tr.text(0, cr.InputOffset()), "\r\n"))
			return rr.emit()
		}
		return err
	}
	return nil // empty
}

// csvRows reads the rows after the header.
func (rr *recordReader) csvRows(cr *csv.Reader, tr *tailReader, header []string,
	cols []csvColumn,
) error {
	rr.pos.Line = 1
	head := &csvHead{cols: cols}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	typeCol := typeColumn(rr.fi, cols)
	head.typed = typeCol >= 0
	rt := rowTables{def: rr.fi.table}
	for {
		start := cr.InputOffset()
		tr.discard(start)
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		raw := bytes.TrimRight(tr.text(start, cr.InputOffset()), "\r\n")
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("%s: %w", rr.name, err)
			}
			rr.pos.Line = max(rr.pos.Line, pe.Line)
			rr.fault(csvError(rr.name, err, pe.StartLine), raw)
			if err := rr.emit(); err != nil {
				return err
			}
			if pe.Err != nil && !errors.Is(pe.Err, csv.ErrQuote) &&
				!errors.Is(pe.Err, csv.ErrBareQuote) {
				return nil // a read error: nothing more will come
			}
			continue
		}
		line, _ := cr.FieldPos(0) // only valid after a successful Read
		rr.pos.Line = line
		if len(rec) != len(header) {
			rr.fault(&DataError{Path: rr.name, Line: line, Msg: fmt.Sprintf(
				"expected %d cells as in the header, found %d", len(header), len(rec)),
				Err: ErrMalformed}, raw)
		} else {
			table := rr.fi.table
			if typeCol >= 0 {
				table = rt.table(rec[typeCol])
			}
			rr.unit.Records = append(rr.unit.Records, &Record{Table: table, Line: line,
				Header: names, Cells: rec, Raw: bytes.Clone(raw), head: head})
		}
		if err := rr.emit(); err != nil {
			return err
		}
	}
}

// tailReader keeps the text read through it from the last discard on, so
// that a CSV row, well-formed or not, can be quarantined as it was written.
type tailReader struct {
	r    io.Reader
	buf  []byte // the text from offset base on
	base int64
}

// Read reads from r, keeping what it reads.
func (t *tailReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// text returns the text from offset from to offset to, both at or after
// the last discard, as far as it was read.
func (t *tailReader) text(from, to int64) []byte {
	from, to = min(from-t.base, int64(len(t.buf))), min(to-t.base, int64(len(t.buf)))
	if from < 0 || to < from {
		return nil
	}
	return t.buf[from:to]
}

// discard drops the text before offset off.
func (t *tailReader) discard(off int64) {
	n := off - t.base
	if n < 64<<10 || n > int64(len(t.buf)) {
		return // copy only now and then
	}
	t.buf = t.buf[:copy(t.buf, t.buf[n:])]
	t.base = off
}

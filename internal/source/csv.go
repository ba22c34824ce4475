package source

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// newCSVReader returns a strict RFC 4180 reader over r.
func newCSVReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	return cr
}

// csvError gives a CSV reader error the file's path and line.
func csvError(path string, err error, line int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if pe.Err != nil && !errors.Is(pe.Err, csv.ErrQuote) && !errors.Is(pe.Err, csv.ErrBareQuote) &&
			!errors.Is(pe.Err, csv.ErrFieldCount) && !errors.Is(pe.Err, csv.ErrTrailingComma) {
			err = pe.Err // a read error, such as truncated gzip data
		} else {
			return &DataError{Path: path, Line: pe.Line, Msg: pe.Err.Error(), Err: ErrMalformed}
		}
	}
	return &DataError{Path: path, Line: line, Msg: "reading input: " + err.Error(),
		Err: readErrKind(err)}
}

// readHeader returns the header row of a CSV file (nil for an empty file),
// without a leading UTF-8 byte order mark.
func readHeader(path string, cr *csv.Reader) ([]string, error) {
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, csvError(path, err, 1)
	}
	header := append([]string(nil), rec...)
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	return header, nil
}

// scanCSV learns a CSV file's table and columns from its header, and for
// a Log Analytics export whose Type column names each row's table, the
// tables from its rows.
func scanCSV(fi *fileInfo, c *collector) error {
	rc, err := fi.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	cr := newCSVReader(rc)
	header, err := readHeader(fi.path, cr)
	if err != nil {
		return err
	}
	cols, err := csvColumns(fi.path, header)
	if err != nil {
		return err
	}
	if typeCol := typeColumn(fi, cols); typeCol >= 0 {
		return scanTypedCSV(fi, cr, cols, typeCol, c)
	}
	noteColumns(c.stats(fi.table), cols, nil)
	return nil
}

// readCSV streams the rows of a CSV file into the sink, in parallel
// chunks when it is large.
func readCSV(fi *fileInfo, sk *sink) error {
	if bigEnough(fi) {
		return readCSVChunked(fi, sk)
	}
	rc, err := fi.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	cr := newCSVReader(rc)
	header, err := readHeader(fi.path, cr)
	if err != nil || header == nil {
		return err
	}
	cols, err := csvColumns(fi.path, header)
	if err != nil {
		return err
	}
	return csvRows(fi, sk, cr, header, cols, 1, 0)
}

// csvRows streams the rows cr reads into the sink. line is the line of
// the record before the first (for an error reading the input), base the
// number of lines before the reader's first, added to the lines of errors.
func csvRows(fi *fileInfo, sk *sink, cr *csv.Reader, header []string, cols []csvColumn,
	line, base int) error {
	typeCol := typeColumn(fi, cols)
	rt := rowTables{def: fi.table}
	slots := csvSlots(sk, cols)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return addLines(fieldCountOr(fi.path, err, rec, len(header), line), base)
		}
		line, _ = cr.FieldPos(0)
		if typeCol >= 0 && rt.table(rec[typeCol]) != sk.table {
			continue
		}
		sk.beginRow()
		for i, cell := range rec {
			slot := slots[i]
			if slot < 0 {
				continue
			}
			v := sk.vector(slot)
			if v.Type == types.String {
				pushStr(v, cell)
				continue
			}
			if err := appendScalar(v, kString, []byte(cell), true); err != nil {
				cellLine, _ := cr.FieldPos(i)
				return &DataError{Path: fi.path, Line: base + cellLine, Column: header[i],
					Msg: err.Error(), Err: ErrBadValue}
			}
			if cols[i].shift != 0 && v.Type == types.Datetime && !v.IsNull(v.Len()-1) {
				v.Int[len(v.Int)-1] -= cols[i].shift
			}
		}
		if err := sk.endRow(); err != nil {
			return err
		}
	}
}

// csvSlots maps each column of a CSV header to its output column in the
// sink, -1 for columns not read.
func csvSlots(sk *sink, cols []csvColumn) []int {
	slots := make([]int, len(cols))
	for i, col := range cols {
		slot, ok := sk.slots[col.name]
		if !ok {
			slot = -1
		}
		slots[i] = slot
	}
	return slots
}

// addLines adds base to the line of a data error.
func addLines(err error, base int) error {
	if de, ok := err.(*DataError); ok && base > 0 {
		de.Line += base
	}
	return err
}

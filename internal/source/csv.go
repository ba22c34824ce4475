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

// scanCSV learns a CSV file's table and columns from its header.
func scanCSV(fi *fileInfo, c *collector) error {
	rc, err := fi.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	header, err := readHeader(fi.path, newCSVReader(rc))
	if err != nil {
		return err
	}
	st := c.stats(fi.table)
	for _, name := range header {
		if !st.known[name] {
			st.note(name, maskString)
		}
	}
	return nil
}

// readCSV streams the rows of a CSV file into the sink.
func readCSV(fi *fileInfo, sk *sink) error {
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
	slots := make([]int, len(header))
	for i, name := range header {
		slot, ok := sk.slots[name]
		if !ok {
			slot = -1
		}
		slots[i] = slot
	}
	line := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(fi.path, err, line)
		}
		line, _ = cr.FieldPos(0)
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
				return &DataError{Path: fi.path, Line: cellLine, Column: header[i],
					Msg: err.Error(), Err: ErrBadValue}
			}
		}
		if err := sk.endRow(); err != nil {
			return err
		}
	}
}

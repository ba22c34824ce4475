// Package output prints query results as an aligned text table, as CSV or
// as JSON lines. Values print as Kusto prints them (see types.Format):
// datetimes as 2025-05-07T16:16:30.2240099Z, timespans as 1.02:03:04,
// dynamic values as compact JSON, nulls as empty cells (null in JSON).
//
// A Writer streams rows; Write prints a whole result at once. Row counts,
// timings and other chatter are the caller's business: output writes only
// the result.
package output

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// The output formats.
const (
	Table = "table" // aligned columns under a header and a separator line
	CSV   = "csv"   // RFC 4180: header row, then one record per row, CRLF line ends
	JSON  = "json"  // JSON lines: one object per row, keys in column order
)

// Formats lists the output formats.
var Formats = []string{Table, CSV, JSON}

// Write prints rows, whose values follow package types (nil for null), in
// format to w.
func Write(w io.Writer, format string, cols column.Schema, rows [][]any) error {
	ow, err := NewWriter(w, format, cols)
	if err != nil {
		return err
	}
	for _, row := range rows {
		if err := ow.WriteRow(row); err != nil {
			return err
		}
	}
	return ow.Close()
}

// Writer prints a result row by row. CSV and JSON rows go out as they come
// (buffered); a table needs every row to size its columns, so it is held
// until Close.
type Writer struct {
	// MaxWidth, when positive, bounds the width of a table: a table that
	// would be wider prints each row as a vertical record of name | value
	// lines instead, so that wide rows stay readable. Zero never switches.
	MaxWidth int

	format string
	cols   column.Schema
	bw     *bufio.Writer
	csv    *csv.Writer
	buf    []byte
	cells  [][]string // table: formatted rows
	n      int
}

// NewWriter returns a Writer printing rows with columns cols in format.
func NewWriter(w io.Writer, format string, cols column.Schema) (*Writer, error) {
	ow := &Writer{format: format, cols: cols, bw: bufio.NewWriter(w)}
	switch format {
	case Table, JSON:
	case CSV:
		ow.csv = csv.NewWriter(ow.bw)
		ow.csv.UseCRLF = true
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = c.Name
		}
		if err := ow.csv.Write(names); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown output format %q: expected table, csv or json", format)
	}
	return ow, nil
}

// WriteRow prints one row; it must have one value per column.
func (w *Writer) WriteRow(row []any) error {
	if len(row) != len(w.cols) {
		return fmt.Errorf("row %d has %d values, expected %d (one per column)",
			w.n+1, len(row), len(w.cols))
	}
	w.n++
	switch w.format {
	case CSV:
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = types.Format(v)
		}
		return w.csv.Write(rec)
	case JSON:
		w.buf = appendObject(w.buf[:0], w.cols, row)
		w.buf = append(w.buf, '\n')
		_, err := w.bw.Write(w.buf)
		return err
	}
	rec := make([]string, len(row))
	for i, v := range row {
		rec[i] = tableCell(v)
	}
	w.cells = append(w.cells, rec)
	return nil
}

// Close prints what is still held and flushes. It does not close the
// underlying writer.
func (w *Writer) Close() error {
	switch w.format {
	case CSV:
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return err
		}
	case Table:
		w.writeTable()
		w.cells = nil
	}
	return w.bw.Flush()
}

// tableCell formats v for a table: as Kusto prints it, with line breaks
// and tabs escaped so that every row stays on one line.
func tableCell(v any) string {
	s := types.Format(v)
	if strings.ContainsAny(s, "\n\r\t") {
		s = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
	}
	return s
}

// width is the number of terminal cells s takes, counting one per rune.
func width(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

func (w *Writer) writeTable() {
	widths := make([]int, len(w.cols))
	for i, c := range w.cols {
		widths[i] = width(c.Name)
	}
	for _, rec := range w.cells {
		for i, s := range rec {
			widths[i] = max(widths[i], width(s))
		}
	}
	total := 0
	for _, n := range widths {
		total += n + 2
	}
	if w.MaxWidth > 0 && total-2 > w.MaxWidth && len(w.cells) > 0 {
		w.writeVertical()
		return
	}
	names := make([]string, len(w.cols))
	rules := make([]string, len(w.cols))
	for i, c := range w.cols {
		names[i] = c.Name
		rules[i] = strings.Repeat("-", widths[i])
	}
	w.writeLine(names, widths, false)
	w.writeLine(rules, widths, false)
	for _, rec := range w.cells {
		w.writeLine(rec, widths, true)
	}
}

// writeLine prints cells padded to widths, two spaces apart, numbers
// right-aligned, with no blanks at the end of the line.
func (w *Writer) writeLine(cells []string, widths []int, values bool) {
	b := w.buf[:0]
	end := 0 // the line without the padding after its last non-empty cell
	for i, s := range cells {
		if i > 0 {
			b = append(b, "  "...)
		}
		pad := widths[i] - width(s)
		if values && w.cols[i].Type.IsNumeric() {
			b = appendSpaces(b, pad)
			b = append(b, s...)
		} else {
			b = append(b, s...)
			b = appendSpaces(b, pad)
		}
		if s != "" {
			end = len(b)
			if !values || !w.cols[i].Type.IsNumeric() {
				end -= pad
			}
		}
	}
	b = append(b[:end], '\n')
	w.bw.Write(b)
	w.buf = b[:0]
}

func appendSpaces(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}

// writeVertical prints each row as a record: a rule naming the record,
// then one "name | value" line per column.
func (w *Writer) writeVertical() {
	nameWidth := 0
	for _, c := range w.cols {
		nameWidth = max(nameWidth, width(c.Name))
	}
	for r, rec := range w.cells {
		head := "-[ RECORD " + strconv.Itoa(r+1) + " ]"
		fmt.Fprintf(w.bw, "%s%s\n", head, strings.Repeat("-", max(nameWidth+3-width(head), 0)))
		for i, c := range w.cols {
			line := c.Name + strings.Repeat(" ", nameWidth-width(c.Name)) + " |"
			if rec[i] != "" {
				line += " " + rec[i]
			}
			w.bw.WriteString(line + "\n")
		}
	}
}

// appendObject appends row as a JSON object keyed by column name.
func appendObject(b []byte, cols column.Schema, row []any) []byte {
	b = append(b, '{')
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = types.AppendJSON(b, c.Name)
		b = append(b, ':')
		b = appendValue(b, c.Type, row[i])
	}
	return append(b, '}')
}

// appendValue appends v as JSON: numbers as numbers (NaN and the
// infinities as the strings Kusto prints), datetimes, timespans and guids
// as strings, dynamic values as embedded JSON. A null is null, except in a
// string column, where Kusto has only the empty string.
func appendValue(b []byte, t types.Type, v any) []byte {
	switch x := v.(type) {
	case nil:
		if t == types.String {
			return append(b, `""`...)
		}
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case int32:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return types.AppendJSON(b, types.FormatReal(x))
		}
		return append(b, types.FormatReal(x)...)
	case decimal.Decimal:
		return append(b, x.String()...)
	case string:
		return types.AppendJSON(b, x)
	case types.Date, types.Duration, uuid.UUID:
		return types.AppendJSON(b, types.Format(x))
	}
	return types.AppendJSON(b, v)
}

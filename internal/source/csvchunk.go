package source

import (
	"bufio"
	"bytes"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// A large CSV file is read in parallel chunks (see forChunks): its header
// by encoding/csv, its body by csvLayout.record, a parser of RFC 4180 that
// reads only the cells a query needs and accepts exactly what encoding/csv
// accepts in its strict mode, giving the same cells. It finds no fault in
// a chunk it accepts; at the first record it does not accept the file is
// read from that chunk on by encoding/csv, which reports what is wrong.

// headerPeek is how much of a CSV file is looked at to find its header; a
// file whose header is longer is read sequentially.
const headerPeek = 1 << 20

// readCSVChunked reads a CSV file in parallel chunks.
func readCSVChunked(fi *fileInfo, sk *sink) error {
	rc, err := fi.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, headerPeek)
	peek, _ := br.Peek(headerPeek)
	cr := newCSVReader(bytes.NewReader(peek))
	rec, err := cr.Read()
	hlen := int(cr.InputOffset())
	var header []string
	var cols []csvColumn
	if err == nil && hlen > 0 && peek[hlen-1] == '\n' {
		header = append([]string(nil), rec...)
		header[0] = trimBOM(header[0])
		cols, err = csvColumns(fi.path, header)
	}
	if cols == nil || err != nil { // read sequentially, to report it as always
		rc.Close()
		return readCSVFrom(fi, sk, 0, nil, 0)
	}
	if _, err := br.Discard(hlen); err != nil {
		return err
	}
	lay := newCSVLayout(fi, sk, cols)
	lines := bytes.Count(peek[:hlen], []byte{'\n'})
	var failed *chunk
	parse := func(c *chunk) { lay.parse(sk, c) }
	err = forChunks(sk.ctx, br, nil, splitCSV, parse, func(c *chunk) error {
		if !c.ok {
			failed = c
			return errFallback
		}
		for _, b := range c.batches {
			if err := sk.emit(b); err != nil {
				return err
			}
		}
		lines += c.lines
		return nil
	})
	if err != errFallback {
		return err
	}
	rc.Close()
	return readCSVFrom(fi, sk, int64(hlen)+failed.off, header, lines)
}

// trimBOM drops a leading UTF-8 byte order mark.
func trimBOM(s string) string {
	if len(s) >= 3 && s[:3] == "\ufeff" {
		return s[3:]
	}
	return s
}

// readCSVFrom reads a CSV file sequentially with encoding/csv: all of it
// (header nil), or from byte off of its body, which starts on line
// lines+1 of the file after a header.
func readCSVFrom(fi *fileInfo, sk *sink, off int64, header []string, lines int) error {
	rc, err := reopenAt(fi, off)
	if err != nil {
		return err
	}
	defer rc.Close()
	cr := newCSVReader(rc)
	line := 0
	if header == nil {
		if header, err = readHeader(fi.path, cr); err != nil || header == nil {
			return err
		}
		line = 1
	} else {
		cr.FieldsPerRecord = len(header)
	}
	cols, err := csvColumns(fi.path, header)
	if err != nil {
		return err
	}
	return csvRows(fi, sk, cr, header, cols, line, lines)
}

// splitCSV cuts after the last newline that is outside quotes, counting
// quotes from the start of buf (which a chunk starts outside of).
func splitCSV(buf []byte, eof bool) int {
	if eof {
		return len(buf)
	}
	quotes := bytes.Count(buf, []byte{'"'})
	end := len(buf)
	for {
		i := bytes.LastIndexByte(buf[:end], '\n')
		if i < 0 {
			return 0
		}
		quotes -= bytes.Count(buf[i+1:end], []byte{'"'})
		if quotes%2 == 0 {
			return i + 1
		}
		end = i
	}
}

// csvLayout is what the chunk parsers of one CSV file share, read only.
type csvLayout struct {
	table   string
	def     string // the table of rows whose Type names none
	cols    []csvColumn
	slots   []int  // per field: output column, or -1
	typeCol int    // the field naming each row's table, or -1
	maxNeed int    // the last field whose cell is read, -1 for none
	str     []bool // per field: read into a string column
	strs    []int  // the fields read into string columns
}

func newCSVLayout(fi *fileInfo, sk *sink, cols []csvColumn) *csvLayout {
	lay := &csvLayout{table: sk.table, def: fi.table, cols: cols, slots: csvSlots(sk, cols),
		typeCol: typeColumn(fi, cols), maxNeed: -1}
	lay.str = make([]bool, len(cols))
	for i, slot := range lay.slots {
		if slot >= 0 || i == lay.typeCol {
			lay.maxNeed = i
		}
		if slot >= 0 && sk.fields[slot].Type == types.String {
			lay.str[i] = true
			lay.strs = append(lay.strs, i)
		}
	}
	return lay
}

// cellRef is where a cell lies in a chunk: data[start:end], between the
// quotes of a quoted cell.
type cellRef struct {
	start, end int
	quoted     bool
}

// parse converts the records of a chunk into batches; see forChunks.
func (lay *csvLayout) parse(sk *sink, c *chunk) {
	data := c.data
	cs := sk.child(len(c.data), func(b *column.Batch) error {
		c.batches = append(c.batches, b)
		return nil
	})
	cells := make([]cellRef, lay.maxNeed+1)
	rt := rowTables{def: lay.def}
	var scratch, row []byte
	bounds := make([][2]int, lay.maxNeed+1) // of string cells in row
	p := 0
	for {
		p = skipEmptyLines(data, p)
		if p >= len(data) {
			break
		}
		var ok bool
		if p, ok = lay.record(data, p, cells); !ok {
			return
		}
		if lay.typeCol >= 0 {
			cell := unquoteCell(data, cells[lay.typeCol], &scratch)
			if rt.tableOf(cell) != lay.table {
				continue
			}
		}
		cs.beginRow()
		row = row[:0]
		for i, slot := range lay.slots[:lay.maxNeed+1] {
			if slot < 0 {
				continue
			}
			text := unquoteCell(data, cells[i], &scratch)
			if lay.str[i] { // gathered, to make one string of the row's string cells
				bounds[i] = [2]int{len(row), len(row) + len(text)}
				row = append(row, text...)
				continue
			}
			v := cs.vector(slot)
			if appendScalar(v, kString, text, true) != nil {
				return
			}
			if lay.cols[i].shift != 0 && v.Type == types.Datetime && !v.IsNull(v.Len()-1) {
				v.Int[len(v.Int)-1] -= lay.cols[i].shift
			}
		}
		if len(lay.strs) > 0 {
			str := string(row)
			for _, i := range lay.strs {
				pushStr(cs.vector(lay.slots[i]), str[bounds[i][0]:bounds[i][1]])
			}
		}
		if cs.endRow() != nil {
			return
		}
	}
	if cs.flush() != nil {
		return
	}
	c.ok, c.lines = true, bytes.Count(data, []byte{'\n'})
}

// skipEmptyLines skips the lines encoding/csv skips: "\n" and "\r\n", and
// a final "\r".
func skipEmptyLines(data []byte, p int) int {
	for p < len(data) {
		switch {
		case data[p] == '\n':
			p++
		case data[p] == '\r' && p+1 == len(data):
			p++
		case data[p] == '\r' && data[p+1] == '\n':
			p += 2
		default:
			return p
		}
	}
	return p
}

// record parses the record at data[p], which is not an empty line, noting
// where the cells up to maxNeed lie. It returns the offset after the
// record, and false for a record encoding/csv would refuse (or one cut by
// the end of data, which may be the end of a chunk).
func (lay *csvLayout) record(data []byte, p int, cells []cellRef) (int, bool) {
	n := len(data)
	field := 0
	lineEnd, quote := -1, -1 // the current line's end; the next quote on it at or after p
	for {
		if p < n && data[p] == '"' {
			q := p + 1
			for {
				i := bytes.IndexByte(data[q:], '"')
				if i < 0 {
					return 0, false
				}
				q += i + 1
				if q < n && data[q] == '"' {
					q++
					continue
				}
				break
			}
			if field <= lay.maxNeed {
				cells[field] = cellRef{p + 1, q - 1, true}
			}
			field++
			switch {
			case q == n:
				p = n
			case data[q] == ',':
				p = q + 1
				continue
			case data[q] == '\n':
				p = q + 1
			case data[q] == '\r' && q+1 == n:
				p = n
			case data[q] == '\r' && data[q+1] == '\n':
				p = q + 2
			default:
				return 0, false // a quote inside a quoted field
			}
			break
		}
		if lineEnd < p {
			if lineEnd = bytes.IndexByte(data[p:], '\n'); lineEnd < 0 {
				lineEnd = n
			} else {
				lineEnd += p
			}
		}
		if quote < p {
			if quote = bytes.IndexByte(data[p:lineEnd], '"'); quote < 0 {
				quote = lineEnd
			} else {
				quote += p
			}
		}
		if field > lay.maxNeed && quote == lineEnd {
			// No cell left to read and no quote on the line: count the rest.
			field += bytes.Count(data[p:lineEnd], []byte{','}) + 1
			p = min(lineEnd+1, n)
			break
		}
		end := lineEnd
		if i := bytes.IndexByte(data[p:lineEnd], ','); i >= 0 {
			end = p + i
		}
		if quote < end {
			return 0, false // a quote in an unquoted field
		}
		next := end + 1
		if end == lineEnd && end > p && data[end-1] == '\r' {
			end-- // \r\n ends the line; a final \r is dropped
		}
		if field <= lay.maxNeed {
			cells[field] = cellRef{p, end, false}
		}
		field++
		p = min(next, n)
		if next > lineEnd {
			break
		}
	}
	return p, field == len(lay.slots)
}

// unquoteCell returns the contents of a cell: a quoted cell's with "" read
// as " and \r\n as \n (encoding/csv reads lines so), built in scratch when
// they differ from the bytes between the quotes.
func unquoteCell(data []byte, c cellRef, scratch *[]byte) []byte {
	raw := data[c.start:c.end]
	if !c.quoted || bytes.IndexByte(raw, '"') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return raw
	}
	out := (*scratch)[:0]
	for i := 0; i < len(raw); i++ {
		b := raw[i]
		switch {
		case b == '"':
			i++ // the second quote of a pair
		case b == '\r' && i+1 < len(raw) && raw[i+1] == '\n':
			continue
		}
		out = append(out, b)
	}
	*scratch = out
	return out
}

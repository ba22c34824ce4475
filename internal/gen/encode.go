package gen

import (
	"bufio"
	"strconv"
	"time"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// kind says how a cell of a record is to be written.
type kind uint8

const (
	kMissing kind = iota // key omitted from JSON objects, empty CSV field
	kNull                // JSON null, empty CSV field
	kStr                 // cell.s
	kBuf                 // record.arena[cell.i:cell.j]
	kInt                 // cell.i
	kBool                // cell.i != 0
	kTime                // cell.i holds datetime ticks
)

// cell is one value of a record. Cells never own memory: kBuf cells point
// into the record's arena, which is reset for every row, so that generating
// a row allocates nothing.
type cell struct {
	k    kind
	s    string
	i, j int64
}

// record is one row being generated, with a cell per schema column.
type record struct {
	cells []cell
	arena []byte
}

func newRecord(n int) *record {
	return &record{cells: make([]cell, n), arena: make([]byte, 0, 1024)}
}

// reset marks every cell missing and empties the arena.
func (r *record) reset() {
	for i := range r.cells {
		r.cells[i] = cell{}
	}
	r.arena = r.arena[:0]
}

// The setters below store a value in column c; they ignore c < 0, which
// marks a column the table does not have.

func (r *record) set(c int, v cell) {
	if c >= 0 {
		r.cells[c] = v
	}
}

func (r *record) str(c int, s string)      { r.set(c, cell{k: kStr, s: s}) }
func (r *record) num(c int, n int64)       { r.set(c, cell{k: kInt, i: n}) }
func (r *record) null(c int)               { r.set(c, cell{k: kNull}) }
func (r *record) time(c int, t types.Date) { r.set(c, cell{k: kTime, i: int64(t)}) }

func (r *record) boolean(c int, b bool) {
	n := int64(0)
	if b {
		n = 1
	}
	r.set(c, cell{k: kBool, i: n})
}

// mark starts a kBuf value: append its bytes to r.arena, then call done.
func (r *record) mark() int64 { return int64(len(r.arena)) }

func (r *record) done(c int, start int64) {
	r.set(c, cell{k: kBuf, i: start, j: int64(len(r.arena))})
}

// encoder writes records of one table in one format.
type encoder interface {
	begin() error
	write(r *record) error
	end() error
}

// newEncoder returns the encoder for format f writing rows of table to w.
func newEncoder(w *bufio.Writer, f Format, table string, schema column.Schema,
	opts *Options) encoder {
	base := encBase{w: w, schema: schema, table: table}
	base.keys = make([][]byte, len(schema))
	for i, col := range schema {
		base.keys[i] = append(appendJSONString(nil, col.Name), ':')
	}
	switch f {
	case JSON:
		return &jsonEncoder{encBase: base, array: true}
	case CSV:
		return &csvEncoder{encBase: base}
	case EventHub:
		per := opts.RecordsPerMessage
		if per <= 0 {
			per = defaultRecordsPerMessage
		}
		return &hubEncoder{encBase: base, per: per, tenant: opts.tenantID()}
	default:
		return &jsonEncoder{encBase: base}
	}
}

type encBase struct {
	w      *bufio.Writer
	schema column.Schema
	table  string
	keys   [][]byte // `"Column":` for each column
	buf    []byte
	days   int64  // day number cached in dayPfx
	dayPfx []byte // "2025-05-07T" for days
}

// appendObject appends the JSON object of r, keys in schema order,
// missing cells left out.
func (e *encBase) appendObject(dst []byte, r *record) []byte {
	dst = append(dst, '{')
	first := true
	for i := range r.cells {
		c := &r.cells[i]
		if c.k == kMissing {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, e.keys[i]...)
		switch c.k {
		case kNull:
			dst = append(dst, "null"...)
		case kStr:
			dst = appendJSONString(dst, c.s)
		case kBuf:
			dst = appendJSONBytes(dst, r.arena[c.i:c.j])
		case kInt:
			dst = strconv.AppendInt(dst, c.i, 10)
		case kBool:
			dst = strconv.AppendBool(dst, c.i != 0)
		case kTime:
			dst = append(dst, '"')
			dst = e.appendTime(dst, types.Date(c.i))
			dst = append(dst, '"')
		}
	}
	return append(dst, '}')
}

// appendTime appends d as ISO 8601 UTC with seven fractional digits.
// The date part is cached, since consecutive rows mostly share a day.
func (e *encBase) appendTime(dst []byte, d types.Date) []byte {
	const day = int64(types.Day)
	t := int64(d)
	days, rem := t/day, t%day
	if days != e.days || e.dayPfx == nil {
		tm := types.Date(days * day).Time()
		e.dayPfx = tm.AppendFormat(e.dayPfx[:0], "2006-01-02T")
		e.days = days
	}
	dst = append(dst, e.dayPfx...)
	sec := rem / int64(types.Second)
	frac := rem % int64(types.Second)
	dst = append2(dst, sec/3600)
	dst = append(dst, ':')
	dst = append2(dst, sec/60%60)
	dst = append(dst, ':')
	dst = append2(dst, sec%60)
	dst = append(dst, '.')
	var digits [7]byte
	for i := 6; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	dst = append(dst, digits[:]...)
	return append(dst, 'Z')
}

func append2(dst []byte, n int64) []byte {
	return append(dst, byte('0'+n/10), byte('0'+n%10))
}

// jsonEncoder writes JSON lines, or a JSON array with one object a line.
type jsonEncoder struct {
	encBase
	array bool
	n     int
}

func (e *jsonEncoder) begin() error {
	if e.array {
		_, err := e.w.WriteString("[\n")
		return err
	}
	return nil
}

func (e *jsonEncoder) write(r *record) error {
	e.buf = e.buf[:0]
	if e.array && e.n > 0 {
		e.buf = append(e.buf, ",\n"...)
	}
	e.n++
	e.buf = e.appendObject(e.buf, r)
	if !e.array {
		e.buf = append(e.buf, '\n')
	}
	_, err := e.w.Write(e.buf)
	return err
}

func (e *jsonEncoder) end() error {
	if !e.array {
		return nil
	}
	s := "\n]\n"
	if e.n == 0 {
		s = "]\n"
	}
	_, err := e.w.WriteString(s)
	return err
}

// csvEncoder writes RFC 4180 CSV with a header row, as Advanced Hunting's
// export does: nulls and missing values are empty fields, booleans are
// true/false, datetimes ISO 8601.
type csvEncoder struct{ encBase }

func (e *csvEncoder) begin() error {
	e.buf = e.buf[:0]
	for i, col := range e.schema {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendCSV(e.buf, []byte(col.Name))
	}
	e.buf = append(e.buf, '\r', '\n')
	_, err := e.w.Write(e.buf)
	return err
}

func (e *csvEncoder) write(r *record) error {
	e.buf = e.buf[:0]
	for i := range r.cells {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		c := &r.cells[i]
		switch c.k {
		case kStr:
			e.buf = appendCSVString(e.buf, c.s)
		case kBuf:
			e.buf = appendCSV(e.buf, r.arena[c.i:c.j])
		case kInt:
			e.buf = strconv.AppendInt(e.buf, c.i, 10)
		case kBool:
			e.buf = strconv.AppendBool(e.buf, c.i != 0)
		case kTime:
			e.buf = e.appendTime(e.buf, types.Date(c.i))
		}
	}
	e.buf = append(e.buf, '\r', '\n')
	_, err := e.w.Write(e.buf)
	return err
}

func (e *csvEncoder) end() error { return nil }

func appendCSVString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return appendCSVQuoted(dst, s)
		}
	}
	if len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		return appendCSVQuoted(dst, s)
	}
	return append(dst, s...)
}

func appendCSV(dst, b []byte) []byte {
	for _, c := range b {
		switch c {
		case ',', '"', '\r', '\n':
			return appendCSVQuoted(dst, string(b))
		}
	}
	return append(dst, b...)
}

func appendCSVQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

// hubEncoder writes Defender Streaming API Event Hub messages: a sequence of
// JSON documents {"records":[...]}, each holding up to per records, one
// record a line.
type hubEncoder struct {
	encBase
	per    int
	tenant string
	n      int // records in the open message
}

func (e *hubEncoder) begin() error { return nil }

func (e *hubEncoder) write(r *record) error {
	e.buf = e.buf[:0]
	if e.n == 0 {
		e.buf = append(e.buf, `{"records":[`...)
	} else {
		e.buf = append(e.buf, ',')
	}
	e.buf = append(e.buf, "\n"...)
	e.buf = append(e.buf, `{"time":"`...)
	if c := r.cells[0]; c.k == kTime {
		e.buf = e.appendTime(e.buf, types.Date(c.i))
	}
	e.buf = append(e.buf, `","tenantId":`...)
	e.buf = appendJSONString(e.buf, e.tenant)
	e.buf = append(e.buf, `,"operationName":"Publish","category":"AdvancedHunting-`...)
	e.buf = append(e.buf, e.table...)
	e.buf = append(e.buf, `","properties":`...)
	e.buf = e.appendObject(e.buf, r)
	e.buf = append(e.buf, '}')
	e.n++
	if e.n == e.per {
		e.buf = append(e.buf, "\n]}\n"...)
		e.n = 0
	}
	_, err := e.w.Write(e.buf)
	return err
}

func (e *hubEncoder) end() error {
	if e.n == 0 {
		return nil
	}
	e.n = 0
	_, err := e.w.WriteString("\n]}\n")
	return err
}

// jsonSafe marks the bytes a JSON string holds unescaped.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONString appends s as a JSON string. Only what JSON requires is
// escaped (quote, backslash, control characters), as Kusto writes it.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if jsonSafe[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = appendEscape(dst, c)
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendJSONBytes(dst, b []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i, c := range b {
		if jsonSafe[c] {
			continue
		}
		dst = append(dst, b[start:i]...)
		dst = appendEscape(dst, c)
		start = i + 1
	}
	dst = append(dst, b[start:]...)
	return append(dst, '"')
}

func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	const hex = "0123456789abcdef"
	return append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
}

// formatTime renders t as the encoders do; for tests and the CLI.
func formatTime(t time.Time) string {
	var e encBase
	return string(e.appendTime(nil, types.DateFromTime(t)))
}

package source

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors that DataError and Read errors wrap, for errors.Is.
var (
	// ErrMalformed marks input that is not well-formed JSON, CSV or gzip:
	// a syntax error, a truncated file, bad CSV quoting.
	ErrMalformed = errors.New("malformed input")
	// ErrBadValue marks a value that cannot be converted to its column's type.
	ErrBadValue = errors.New("bad value")
	// ErrBadRecord marks a well-formed value of the wrong shape: a row that
	// is not an object, a streaming record without category or properties.
	ErrBadRecord = errors.New("bad record")
	// ErrUnknownTable is returned by Read for a table the set does not hold.
	ErrUnknownTable = errors.New("unknown table")
	// ErrUnknownColumn is returned by Read for a column the table lacks.
	ErrUnknownColumn = errors.New("unknown column")
)

// DataError is an error in one input file. It prints as
//
//	path:line: event E: record N: column C: message
//
// leaving out the parts that do not apply, and unwraps to Err.
type DataError struct {
	Path   string
	Line   int    // 1-based line of the fault; 0 when unknown
	Event  int    // 1-based index of an Avro event (Event Hub Capture) in the file; 0: none
	Record int    // 1-based index of a streaming record in the file; 0 when not applicable
	Column string // the column whose value is at fault; "" when none
	Msg    string // lowercase, says what was expected and what was found
	Err    error  // ErrMalformed, ErrBadValue, ErrBadRecord or an I/O error
}

// Error returns the message with its file position.
func (e *DataError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Event > 0 {
		fmt.Fprintf(&b, "event %d: ", e.Event)
	}
	if e.Record > 0 {
		fmt.Fprintf(&b, "record %d: ", e.Record)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, "column %s: ", e.Column)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel or I/O error behind e.
func (e *DataError) Unwrap() error { return e.Err }

// quoteFound renders a found value for a message: strings quoted and cut to
// a readable length.
func quoteFound(s string) string {
	const maxLen = 40
	if len(s) > maxLen {
		s = s[:maxLen] + "..."
	}
	return strconv.Quote(s)
}

// describeByte names the character c for a syntax error message.
func describeByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

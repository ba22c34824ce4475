package source

import (
	"bytes"
	"context"
	"errors"

	"github.com/huntql/huntql/internal/schema"
	"github.com/huntql/huntql/internal/types"
)

// jsonMode is how a JSON file holds its rows.
type jsonMode uint8

const (
	// modeRows: row objects (an array, JSON lines, or both); the table
	// comes from the file name.
	modeRows jsonMode = iota
	// modeRecords: Defender streaming records {category, properties}, as
	// Storage blob lines or an array; the table comes from each category.
	modeRecords
	// modeMessages: Event Hub messages {"records": [record...]}.
	modeMessages
)

// categoryPrefix starts the category of every Defender streaming record.
const categoryPrefix = "AdvancedHunting-"

// ctxCheckEvery is how many rows pass between checks for cancellation.
const ctxCheckEvery = 1024

// errStop ends a traversal early without failing.
var errStop = errors.New("stop")

// rowHandler receives the rows a JSON traversal finds.
type rowHandler interface {
	// want reports whether rows of table are wanted; others are skipped.
	want(table string) bool
	// row consumes one row object, the lexer being at its '{'.
	row(f *jsonFile, table string) error
	// bagRow takes a row that had to be decoded before its table was known
	// (properties before category in a record).
	bagRow(f *jsonFile, table string, row *types.Bag) error
}

// jsonFile is the state of one traversal of a JSON file.
type jsonFile struct {
	ctx    context.Context
	path   string
	l      *lexer
	mode   jsonMode
	table  string // the table of every row in modeRows
	record int    // 1-based index of the current streaming record; 0 in modeRows
	line   int    // line where the current row starts
	rows   int    // rows and records seen, for cancellation checks

	// fallback is the table of records without a category (see
	// fileInfo.fallback); "" makes such a record an error.
	fallback string
}

// walk traverses the file's top-level values, handing rows to h.
func (f *jsonFile) walk(h rowHandler) error {
	err := f.walkValues(h)
	if err == errStop {
		return nil
	}
	return f.wrap(err)
}

func (f *jsonFile) walkValues(h rowHandler) error {
	for {
		c, ok := f.l.skipWS()
		if !ok {
			if f.l.rerr != nil {
				return f.l.readError()
			}
			return nil
		}
		if err := f.walkValue(h, c); err != nil {
			return err
		}
	}
}

// walkValue handles the top-level value starting with c.
func (f *jsonFile) walkValue(h rowHandler, c byte) error {
	switch c {
	case '[':
		return f.l.elements(func() error { return f.value(h) })
	case '{':
		return f.value(h)
	case '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n':
		// Well-formed JSON, but no row: a shape error, not a syntax one.
		f.rows++
		return f.badRecord("expected " + f.mode.what() + " object or array, found " +
			describeByte(c))
	}
	return f.l.errorf("expected JSON object or array, found " + describeByte(c))
}

// wrap gives a traversal error the file's path and position.
func (f *jsonFile) wrap(err error) error {
	var le *lexError
	if errors.As(err, &le) {
		return &DataError{Path: f.path, Line: le.line, Record: f.record, Msg: le.msg, Err: le.err}
	}
	return err
}

// badRecord reports a well-formed value of the wrong shape.
func (f *jsonFile) badRecord(msg string) error { return f.badRecordAt(f.l.line, msg) }

// badRecordAt reports a value of the wrong shape starting at line.
func (f *jsonFile) badRecordAt(line int, msg string) error {
	return &DataError{Path: f.path, Line: line, Record: f.record, Msg: msg, Err: ErrBadRecord}
}

// badValue gives a conversion error its position and column.
func (f *jsonFile) badValue(err error, line int, col string) error {
	var ve *valueError
	if errors.As(err, &ve) {
		return &DataError{Path: f.path, Line: line, Record: f.record, Column: col,
			Msg: ve.Error(), Err: ErrBadValue}
	}
	return err
}

// value handles one element of the top level: a row, record or message.
func (f *jsonFile) value(h rowHandler) error {
	f.rows++
	if f.rows%ctxCheckEvery == 0 && f.ctx != nil {
		if err := f.ctx.Err(); err != nil {
			return err
		}
	}
	c, err := f.l.next(f.mode.what() + " object")
	if err != nil {
		return err
	}
	if c != '{' {
		return f.badRecord("expected " + f.mode.what() + " object, found " + describeByte(c))
	}
	switch f.mode {
	case modeRecords:
		return f.recordValue(h)
	case modeMessages:
		return f.message(h)
	}
	f.line = f.l.line
	if h.want(f.table) {
		return h.row(f, f.table)
	}
	return f.l.skip(0)
}

func (m jsonMode) what() string {
	switch m {
	case modeRecords:
		return "record"
	case modeMessages:
		return "event hub message"
	}
	return "row"
}

// message consumes an Event Hub message {"records": [...], ...}.
func (f *jsonFile) message(h rowHandler) error {
	found := false
	err := f.l.members(func(key []byte) error {
		if !bytes.EqualFold(key, []byte("records")) {
			return f.l.skip(0)
		}
		found = true
		c, err := f.l.next("records array")
		if err != nil {
			return err
		}
		if c != '[' {
			return f.badRecord("expected records array, found " + describeByte(c))
		}
		return f.l.elements(func() error {
			c, err := f.l.next("record")
			if err != nil {
				return err
			}
			if c != '{' {
				f.record++
				return f.badRecord("expected record object, found " + describeByte(c))
			}
			return f.recordValue(h)
		})
	})
	if err == nil && !found {
		return f.badRecord("expected a records array in the event hub message, found none")
	}
	return err
}

// recordValue consumes one streaming record {category, properties, ...}.
func (f *jsonFile) recordValue(h rowHandler) error {
	f.record++
	if f.record%ctxCheckEvery == 0 && f.ctx != nil {
		if err := f.ctx.Err(); err != nil {
			return err
		}
	}
	start := f.l.line
	table := ""
	var bag *types.Bag
	hasProps := false
	err := f.l.members(func(key []byte) error {
		switch {
		case bytes.EqualFold(key, []byte("category")):
			k, text, err := f.l.scalar()
			if err != nil {
				return err
			}
			if k != kString {
				if k == kObject || k == kArray {
					return f.badRecord("expected category string, found object or array")
				}
				return f.badRecord("expected category string, found " + quoteFound(string(text)))
			}
			table = categoryTable(text)
			return nil
		case bytes.EqualFold(key, []byte("properties")):
			hasProps = true
			c, err := f.l.next("properties object")
			if err != nil {
				return err
			}
			if c != '{' {
				return f.badRecord("expected properties object, found " + describeByte(c))
			}
			f.line = f.l.line
			if table != "" {
				if h.want(table) {
					return h.row(f, table)
				}
				return f.l.skip(0)
			}
			d, err := f.l.dynamic(1)
			bag, _ = d.(*types.Bag)
			return err
		}
		return f.l.skip(0)
	})
	switch {
	case err != nil:
		return err
	case table == "" && f.fallback == "":
		return f.badRecordAt(start, "expected a category naming the table, found none")
	case !hasProps:
		return f.badRecordAt(start, "expected properties holding the row, found none")
	case table == "":
		table = f.fallback
	}
	if bag != nil && h.want(table) {
		f.line = start
		return h.bagRow(f, table, bag)
	}
	return nil
}

// categoryTable returns the table a record's category names:
// AdvancedHunting-DeviceInfo is DeviceInfo.
func categoryTable(cat []byte) string {
	if len(cat) > len(categoryPrefix) &&
		bytes.EqualFold(cat[:len(categoryPrefix)], []byte(categoryPrefix)) {
		cat = cat[len(categoryPrefix):]
	}
	return canonicalTable(string(cat))
}

// canonicalTable spells a table name as the built-in schema does when it
// names a known table in another case.
func canonicalTable(name string) string {
	if c, ok := schema.Canonical(name); ok {
		return c
	}
	return name
}

// detectMode reads the start of a JSON file and tells how it holds rows.
// ok is false when the file does not start like JSON.
func detectMode(fi *fileInfo) (mode jsonMode, ok bool, err error) {
	path := fi.path
	rc, err := fi.open()
	if err != nil {
		return 0, false, err
	}
	defer rc.Close()
	f := &jsonFile{path: path, l: newLexer(rc)}
	c, more := f.l.skipWS()
	if !more {
		if f.l.rerr != nil {
			return 0, false, f.wrap(f.l.readError())
		}
		return modeRows, true, nil
	}
	if c == '[' {
		f.l.pos++
		if c, more = f.l.skipWS(); !more || c != '{' {
			return modeRows, true, nil // empty or not objects: the walk reports it
		}
	}
	if c != '{' {
		return 0, false, nil
	}
	hasCat, hasProps := false, false
	err = f.l.members(func(key []byte) error {
		switch {
		case bytes.EqualFold(key, []byte("records")):
			mode = modeMessages
			return errStop
		case bytes.EqualFold(key, []byte("category")):
			hasCat = true
		case bytes.EqualFold(key, []byte("properties")):
			hasProps = true
		}
		return f.l.skip(0)
	})
	switch {
	case err == errStop:
		return modeMessages, true, nil
	case err != nil:
		return 0, true, f.wrap(err)
	case hasProps && (hasCat || fi.fallback != ""):
		return modeRecords, true, nil
	}
	return modeRows, true, nil
}

// walkFrom is walk for a traversal that may start inside a top-level
// array, after a comma (inArray), as a chunk of a file may (see
// forChunks). It reports whether it ended so: a chunk (final false) may
// end after a comma of the top-level array, where the next one goes on.
// With final set it reads to the end of the input and reports what walk
// would.
func (f *jsonFile) walkFrom(h rowHandler, inArray, final bool) (bool, error) {
	end, err := f.walkFromValues(h, inArray, final)
	if err == errStop {
		return false, nil
	}
	return end, f.wrap(err)
}

func (f *jsonFile) walkFromValues(h rowHandler, inArray, final bool) (bool, error) {
	l := f.l
	for {
		if inArray { // as lexer.elements does after a comma
			if _, ok := l.skipWS(); !ok && !final && l.rerr == nil {
				return true, nil
			}
			if err := f.value(h); err != nil {
				return false, err
			}
			c, err := l.next("',' or ']'")
			if err != nil {
				return false, err
			}
			l.pos++
			switch c {
			case ',':
			case ']':
				inArray = false
			default:
				l.pos--
				return false, l.errorf("expected ',' or ']' in array, found " + describeByte(c))
			}
			continue
		}
		c, ok := l.skipWS()
		if !ok {
			if l.rerr != nil {
				return false, l.readError()
			}
			return false, nil
		}
		if c != '[' {
			if err := f.walkValue(h, c); err != nil {
				return false, err
			}
			continue
		}
		l.pos++ // '['
		c, err := l.next("array element or ']'")
		if err != nil {
			return false, err
		}
		if c == ']' {
			l.pos++
			continue
		}
		inArray = true
		if err := f.value(h); err != nil {
			return false, err
		}
		// Then as after any element.
		c, err = l.next("',' or ']'")
		if err != nil {
			return false, err
		}
		l.pos++
		switch c {
		case ',':
		case ']':
			inArray = false
		default:
			l.pos--
			return false, l.errorf("expected ',' or ']' in array, found " + describeByte(c))
		}
	}
}

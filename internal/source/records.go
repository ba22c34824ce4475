package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
)

// Record-level reading, for ingestion. Unlike Set.Read, which stops at the
// first fault, ReadRecords reports a record that cannot be read as a Fault
// and goes on, and it tells after each unit of input how far it got, so an
// ingest can commit what it has and later resume exactly there.

// ErrUnsupported marks a file whose format ReadRecords cannot read yet.
var ErrUnsupported = errors.New("unsupported format")

// File is a telemetry file recognized by its name, ready for ReadRecords.
type File struct{ fi *fileInfo }

// Classify recognizes path as a telemetry file by its name (and, without an
// extension, by its first byte). ok is false for a file that is not
// telemetry. For a stream without a name, see Stream.
func Classify(path string) (f File, ok bool, err error) {
	fi, err := classify(path)
	if err != nil || fi == nil {
		return File{}, false, err
	}
	return File{fi}, true, nil
}

// List returns the files under paths (files and directories, walked
// recursively, hidden entries skipped) that are telemetry, in the order
// Scan reads them, and the other files found.
func List(paths []string) (files []File, skipped []string, err error) {
	s := &Set{tables: map[string]*table{}}
	fis, err := s.list(paths)
	if err != nil {
		return nil, nil, err
	}
	for _, fi := range fis {
		files = append(files, File{fi})
	}
	return files, s.skipped, nil
}

// Path returns the file's path.
func (f File) Path() string { return f.fi.path }

// Record is one row read from a file.
type Record struct {
	// Table is the table the row belongs to.
	Table string
	// Line is the 1-based line where the row (or its streaming record) starts.
	Line int
	// Row is the row object's JSON text; nil for a CSV row.
	Row []byte
	// Event is the 1-based index of the Avro event (in an Event Hub
	// Capture file) the row came from; 0 for other files, whose rows have
	// lines.
	Event int
	// Header and Cells are a CSV row's column names (without a time zone
	// suffix such as " [UTC]") and cells.
	Header, Cells []string
	// Raw is the text the row came from: its line, its record or its row.
	Raw []byte

	head *csvHead // a CSV row's header: time zones, and whether Type named the table
}

// Fault is input that could not be read as a record: the error says where
// and why, Raw holds the text (cut to MaxFaultText bytes).
type Fault struct {
	Err *DataError
	Raw []byte
}

// MaxFaultText bounds the text a Fault keeps.
const MaxFaultText = 1 << 20

// Position is how far ReadRecords has read a file: every unit of input
// (a line of JSON lines, an element of a top-level JSON array, a CSV row)
// before it has been handed to the callback.
type Position struct {
	// Offset is the byte offset in the decompressed content just past the
	// last whole line read, for JSON lines files; -1 for other files,
	// which resume by Units.
	Offset int64
	// Line is the number of lines read.
	Line int
	// Units is the number of units read.
	Units int64
}

// RecordOptions say where ReadRecords starts.
type RecordOptions struct {
	// Name names the file in errors; the file's path when empty.
	Name string
	// From is a Position an earlier ReadRecords reported; reading starts
	// after it. The zero value starts at the beginning.
	From Position
	// Incomplete, when set, is called when the input ends inside a unit
	// that may still be being written: a JSON line without its newline
	// that does not read as a whole value (unit "line"), an Avro file cut
	// inside its header or a block ("block"). n is the size of what was
	// found of it, -1 when unknown. Such a unit is neither a record nor a
	// fault: a later read from the last Position reported finds it whole.
	Incomplete func(unit string, n int64)
}

// Unit is what one unit of input held: its records and faults, in order,
// and the position after it. The slices are reused after the callback
// returns.
type Unit struct {
	Records []*Record
	Faults  []*Fault
	Pos     Position
}

// ReadRecords reads the records of f from r (f's contents, possibly gzip
// compressed), calling fn after each unit of input. It fails only when r
// fails or fn does; damaged input becomes faults. Resuming inside an
// uncompressed JSON lines file, it seeks past what was read before when r
// is an io.Seeker (whose position is where f starts) rather than reading it.
func ReadRecords(ctx context.Context, f File, r io.Reader, opts RecordOptions,
	fn func(*Unit) error,
) error {
	name := opts.Name
	if name == "" {
		name = f.fi.path
	}
	start := int64(-1) // where r started, when it can seek
	if s, ok := r.(io.Seeker); ok && opts.From.Offset > 0 {
		if off, err := s.Seek(0, io.SeekCurrent); err == nil {
			start = off
		}
	}
	rc, err := decompress(name, r, noClose{})
	if err != nil {
		var de *DataError
		if errors.As(err, &de) {
			return fn(&Unit{Faults: []*Fault{{Err: de}}, Pos: Position{Offset: -1, Units: 1}})
		}
		return err
	}
	fi, in := f.fi, io.Reader(rc)
	if fi.format == formatSniff {
		br := bufio.NewReaderSize(rc, 256*1024)
		cp := *fi
		cp.format = sniffFormat(br)
		fi, in = &cp, br
	}
	rr := &recordReader{ctx: ctx, fi: fi, name: name, fn: fn, from: opts.From,
		incomplete: opts.Incomplete}
	switch fi.format {
	case formatCSV:
		return rr.csv(in)
	case formatAvro:
		return rr.avro(in)
	case formatJSON:
	default:
		// TODO: a format Set.Read learns needs its record reader here too.
		return fmt.Errorf("%s: %w: reading it record by record is not supported yet", name,
			ErrUnsupported)
	}
	br := bufio.NewReaderSize(in, 256*1024)
	mode, lines, err := sniff(br, fi.fallback)
	if err != nil {
		return err
	}
	rr.mode = mode
	if opts.From.Offset > 0 && start >= 0 && !isGzipped(rc) {
		// Resume by seeking rather than reading what was read before.
		if _, err := r.(io.Seeker).Seek(start+opts.From.Offset, io.SeekStart); err != nil {
			return fmt.Errorf("%s: resuming at byte %d: %w", name, opts.From.Offset, err)
		}
		rr.pos = opts.From
		return rr.lines(bufio.NewReaderSize(r, 256*1024), true)
	}
	if lines || opts.From.Offset > 0 {
		return rr.lines(br, false)
	}
	if err := rr.whole(br); err != nil {
		return err
	}
	return rr.werr
}

// recordReader is the state of one ReadRecords.
type recordReader struct {
	ctx  context.Context
	fi   *fileInfo
	name string
	mode jsonMode
	fn   func(*Unit) error
	from Position
	pos  Position
	unit Unit
	werr error // the callback's error in whole-file mode

	incomplete func(string, int64) // RecordOptions.Incomplete; may be nil
}

// cut reports a last unit that may still be being written.
func (rr *recordReader) cut(unit string, n int64) {
	if rr.incomplete != nil {
		rr.incomplete(unit, n)
	}
}

// sniff tells how a JSON file holds its rows and whether it is JSON lines:
// every value on a line of its own (judged by the first non-blank line).
// fallback is the table a Storage container in the file's path names.
func sniff(br *bufio.Reader, fallback string) (jsonMode, bool, error) {
	head, err := br.Peek(br.Size())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull &&
		readErrKind(err) != ErrMalformed { // damage: reading reports it where it is
		return 0, false, err
	}
	mode, _, _ := detectMode(&fileInfo{data: head, fallback: fallback})
	trimmed := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed = bytes.TrimLeft(trimmed, " \t\r\n")
	line, rest, _ := bytes.Cut(trimmed, []byte{'\n'})
	if wholeObject(line) {
		return mode, true, nil
	}
	// A damaged first line: the file is JSON lines still when most of the
	// next whole lines are objects each, so that each bad line is one
	// fault rather than the whole file.
	objects, seen := 0, 0
	for seen < 16 {
		var ok bool
		if line, rest, ok = bytes.Cut(rest, []byte{'\n'}); !ok {
			break // the last line in head may be cut short
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		seen++
		if wholeObject(line) {
			objects++
		}
	}
	return mode, objects >= 2 && 2*objects > seen, nil
}

// wholeObject reports whether line holds one JSON object and nothing more.
func wholeObject(line []byte) bool {
	line = bytes.TrimLeft(line, " \t\r")
	if len(line) == 0 || line[0] != '{' {
		return false
	}
	l := newBytesLexer(line)
	if l.skip(0) != nil {
		return false
	}
	_, more := l.skipWS()
	return !more
}

// emit hands the current unit to fn and starts a new one.
func (rr *recordReader) emit() error {
	rr.pos.Units++
	if rr.pos.Units <= rr.from.Units && rr.from.Offset < 0 {
		rr.unit.Records, rr.unit.Faults = rr.unit.Records[:0], rr.unit.Faults[:0]
		return nil // read before: skipped by count
	}
	if rr.pos.Units%ctxCheckEvery == 0 {
		if err := rr.ctx.Err(); err != nil {
			return err
		}
	}
	rr.unit.Pos = rr.pos
	err := rr.fn(&rr.unit)
	rr.unit.Records, rr.unit.Faults = rr.unit.Records[:0], rr.unit.Faults[:0]
	return err
}

func (rr *recordReader) fault(err error, raw []byte) {
	var de *DataError
	if !errors.As(err, &de) {
		de = &DataError{Path: rr.name, Msg: err.Error(), Err: ErrMalformed}
	}
	if len(raw) > MaxFaultText {
		raw = raw[:MaxFaultText]
	}
	rr.unit.Faults = append(rr.unit.Faults, &Fault{Err: de, Raw: bytes.Clone(raw)})
}

// lines reads a JSON lines file, one unit a line; seeked says br is
// already at the position to resume from (rr.pos).
func (rr *recordReader) lines(br *bufio.Reader, seeked bool) error {
	if seeked {
		return rr.linesFrom(br)
	}
	rr.pos = Position{Offset: 0}
	if rr.from.Offset > 0 {
		if _, err := io.CopyN(io.Discard, br, rr.from.Offset); err != nil {
			return fmt.Errorf("%s: resuming at byte %d: %w", rr.name, rr.from.Offset, err)
		}
		rr.pos = rr.from
	}
	return rr.linesFrom(br)
}

// linesFrom reads JSON lines from br, which is at rr.pos.
func (rr *recordReader) linesFrom(br *bufio.Reader) error {
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			long := append([]byte(nil), line...)
			for err == bufio.ErrBufferFull {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if err != nil && err != io.EOF {
			if readErrKind(err) != ErrMalformed {
				return fmt.Errorf("%s: %w", rr.name, err)
			}
			// Damaged compressed data: what follows cannot be read.
			rr.fault(&DataError{Path: rr.name, Line: rr.pos.Line + 1,
				Msg: "reading input: " + err.Error(), Err: ErrMalformed}, line)
			return rr.emit()
		}
		if len(line) == 0 {
			return nil
		}
		if err == io.EOF {
			// An unfinished last line may still be being written: leave it
			// for the next run unless it reads as a whole value.
			l := newBytesLexer(line)
			if l.skip(0) != nil {
				rr.cut("line", int64(len(line)))
				return nil
			}
		}
		rr.pos.Line++
		rr.pos.Offset += int64(len(line))
		text := bytes.TrimRight(line, "\r\n")
		if rr.pos.Line == 1 {
			text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
		}
		rr.buffer(text, rr.pos.Line)
		if err := rr.emit(); err != nil {
			return err
		}
		if err == io.EOF {
			return nil
		}
	}
}

// whole reads a JSON file that is not JSON lines in memory, one unit per
// top-level value or element of a top-level array.
// TODO: stream such files (a raw-text capture in the lexer); a JSON array
// of gigabytes now needs as much memory.
func (rr *recordReader) whole(br *bufio.Reader) error {
	data, err := io.ReadAll(br)
	if err != nil && readErrKind(err) != ErrMalformed {
		return fmt.Errorf("%s: %w", rr.name, err)
	}
	if err != nil {
		// Damaged compressed data: the records before the damage are read;
		// the damage is a fault after them.
		defer func(err error) {
			if w := rr.werr; w == nil {
				rr.fault(&DataError{Path: rr.name, Line: rr.pos.Line,
					Msg: "reading input: " + err.Error(), Err: ErrMalformed}, nil)
				rr.werr = rr.emit()
			}
		}(err)
	}
	rr.pos = Position{Offset: -1}
	w := &valueWalker{rr: rr, l: newBytesLexer(data), buf: data}
	if len(data) >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf {
		w.l.pos = 3
	}
	w.top(true)
	rr.pos.Line = w.l.line
	rr.werr = w.err
	return nil
}

// buffer walks one line's values into the current unit.
func (rr *recordReader) buffer(line []byte, n int) {
	w := &valueWalker{rr: rr, l: newBytesLexer(line), buf: line, lineText: line}
	w.l.line = n
	w.top(false)
}

// valueWalker finds the records in a buffer: a line or a whole file.
type valueWalker struct {
	rr       *recordReader
	l        *lexer
	buf      []byte
	lineText []byte // the line being walked, in JSON lines mode
	err      error  // from the callback, in whole-file mode
}

// top walks the top-level values. In whole-file mode each value (or
// element of a top-level array) is a unit of its own.
func (w *valueWalker) top(units bool) {
	done := func() bool {
		if !units {
			return false
		}
		if err := w.rr.emit(); err != nil {
			w.err = err
			return true
		}
		return false
	}
	for {
		c, ok := w.l.skipWS()
		if !ok {
			return
		}
		start, line := w.l.pos, w.l.line
		var err error
		if c == '[' {
			err = w.l.elements(func() error {
				start, line = w.l.pos, w.l.line
				if err := w.value(); err != nil {
					return err
				}
				w.rr.pos.Line = line
				if done() {
					return errStop
				}
				return nil
			})
		} else {
			err = w.value()
			if err == nil && done() {
				return
			}
		}
		if err == errStop {
			return
		}
		if err != nil {
			raw := w.buf[start:]
			if w.lineText != nil {
				raw = w.lineText
			}
			w.rr.fault(w.rr.wrap(err, line), raw)
			done()
			return // the rest of the buffer cannot be trusted
		}
	}
}

// wrap gives a lexer error the file name.
func (rr *recordReader) wrap(err error, line int) error {
	var le *lexError
	if errors.As(err, &le) {
		return &DataError{Path: rr.name, Line: le.line, Msg: le.msg, Err: le.err}
	}
	var de *DataError
	if errors.As(err, &de) {
		return de
	}
	return &DataError{Path: rr.name, Line: line, Msg: err.Error(), Err: ErrMalformed}
}

// raw returns the text of the value that started at start, or the line.
func (w *valueWalker) raw(start int) []byte {
	if w.lineText != nil {
		return w.lineText
	}
	return w.buf[start:w.l.pos]
}

// value walks one row, record or message; it returns only syntax errors.
func (w *valueWalker) value() error {
	c, err := w.l.next("value")
	if err != nil {
		return err
	}
	start, line := w.l.pos, w.l.line
	if c != '{' {
		if err := w.l.skip(0); err != nil {
			return err
		}
		w.rr.fault(&DataError{Path: w.rr.name, Line: line,
			Msg: "expected " + w.mode().what() + " object, found " + describeByte(c),
			Err: ErrBadRecord}, w.raw(start))
		return nil
	}
	switch w.mode() {
	case modeRecords:
		return w.record()
	case modeMessages:
		return w.message()
	}
	if err := w.l.skip(0); err != nil {
		return err
	}
	w.add(w.rr.fi.table, line, w.buf[start:w.l.pos], w.raw(start))
	return nil
}

// mode is how the file holds its rows.
func (w *valueWalker) mode() jsonMode { return w.rr.mode }

func (w *valueWalker) add(table string, line int, row, raw []byte) {
	rec := &Record{Table: table, Line: line, Raw: bytes.Clone(raw)}
	// Both slice w.buf, so their capacities tell where the row starts in
	// the raw text; a row inside it shares the copy.
	if d := cap(raw) - cap(row); d >= 0 && d+len(row) <= len(raw) {
		rec.Row = rec.Raw[d : d+len(row) : d+len(row)]
	} else {
		rec.Row = bytes.Clone(row)
	}
	w.rr.unit.Records = append(w.rr.unit.Records, rec)
}

// message walks an Event Hub message at its '{'.
func (w *valueWalker) message() error {
	start, line := w.l.pos, w.l.line
	found := false
	err := w.l.members(func(key []byte) error {
		if !bytes.EqualFold(key, []byte("records")) {
			return w.l.skip(0)
		}
		found = true
		c, err := w.l.next("records array")
		if err != nil {
			return err
		}
		if c != '[' {
			return w.l.skip(0) // reported below, as a message without records
		}
		return w.l.elements(func() error {
			c, err := w.l.next("record")
			if err != nil {
				return err
			}
			if c != '{' {
				s, ln := w.l.pos, w.l.line
				if err := w.l.skip(0); err != nil {
					return err
				}
				w.rr.fault(&DataError{Path: w.rr.name, Line: ln,
					Msg: "expected record object, found " + describeByte(c), Err: ErrBadRecord},
					w.buf[s:w.l.pos])
				return nil
			}
			return w.record()
		})
	})
	if err != nil {
		return err
	}
	if !found {
		w.rr.fault(&DataError{Path: w.rr.name, Line: line,
			Msg: "expected a records array in the event hub message, found none",
			Err: ErrBadRecord}, w.raw(start))
	}
	return nil
}

// record walks a streaming record {category, properties} at its '{'.
func (w *valueWalker) record() error {
	start, line := w.l.pos, w.l.line
	table, problem := "", ""
	var props []byte
	propsLine := line
	err := w.l.members(func(key []byte) error {
		switch {
		case bytes.EqualFold(key, []byte("category")):
			k, text, err := w.l.scalar()
			if err != nil {
				return err
			}
			if k != kString {
				if k == kObject || k == kArray {
					problem = "expected category string, found object or array"
					return w.l.skip(0)
				}
				problem = "expected category string, found " + quoteFound(string(text))
				return nil
			}
			table = categoryTable(text)
			return nil
		case bytes.EqualFold(key, []byte("properties")):
			c, err := w.l.next("properties object")
			if err != nil {
				return err
			}
			s := w.l.pos
			propsLine = w.l.line
			if err := w.l.skip(0); err != nil {
				return err
			}
			if c != '{' {
				problem = "expected properties object, found " + describeByte(c)
				return nil
			}
			props = w.buf[s:w.l.pos]
			return nil
		}
		return w.l.skip(0)
	})
	if err != nil {
		return err
	}
	raw := w.buf[start:w.l.pos]
	if table == "" {
		table = w.rr.fi.fallback // the Storage container's table, as Set.Read takes it
	}
	switch {
	case problem == "" && table == "":
		problem = "expected a category naming the table, found none"
	case problem == "" && props == nil:
		problem = "expected properties holding the row, found none"
	}
	if problem != "" {
		w.rr.fault(&DataError{Path: w.rr.name, Line: line, Msg: problem, Err: ErrBadRecord}, raw)
		return nil
	}
	w.add(table, propsLine, props, raw)
	return nil
}

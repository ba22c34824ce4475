package source

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// avro reads an Event Hub Capture file, one unit per event, as Set.Read
// does: each event's body is an Event Hub message whose records name their
// tables by category, or one of a Log Analytics data export whose flat
// rows name theirs by Type (see rowMessage). A body that cannot be read is
// a fault of its event; damage in the container (a block's framing, codec
// or sync marker) is a fault that ends the file, whose rest cannot be found.
// A file that ends inside its header or a block is left there for a later
// read (see RecordOptions.Incomplete), as Capture may still be writing it.
func (rr *recordReader) avro(r io.Reader) error {
	rr.pos = Position{Offset: -1}
	rr.mode = modeMessages
	a := &avroFile{ctx: rr.ctx, path: rr.name, r: bufio.NewReaderSize(r, 64*1024)}
	a.eachBody = func(body []byte) error { return rr.event(a.event, body) }
	err := a.header()
	for err == nil {
		var more bool
		if more, err = a.nextBlock(nil); !more {
			break
		}
	}
	if rr.werr != nil {
		return rr.werr // the callback's
	}
	var de *DataError
	if err == nil || !errors.As(err, &de) || (de.Err != ErrMalformed && de.Err != ErrBadRecord) {
		return err // nil, cancellation, or a read error
	}
	if a.cut {
		rr.cut("block", -1) // the rest may still be being written
		return nil
	}
	rr.fault(de, nil)
	return rr.emit()
}

// event reads the records of the n-th event's body into a unit.
func (rr *recordReader) event(n int, body []byte) error {
	if rr.from.Offset < 0 && rr.pos.Units < rr.from.Units {
		rr.pos.Units++ // read before
		return nil
	}
	body = bytes.TrimPrefix(body, utf8BOM)
	if len(bytes.TrimSpace(body)) > 0 {
		w := &valueWalker{rr: rr, l: newBytesLexer(body), buf: body}
		if isRowMessage(body) {
			w.rowMessages()
		} else {
			w.top(false)
		}
		// Lines inside one body are no position in the file; the event is.
		for _, rec := range rr.unit.Records {
			rec.Line, rec.Event = 0, n
		}
		for _, f := range rr.unit.Faults {
			f.Err.Line, f.Err.Event = 0, n
		}
	}
	if err := rr.emit(); err != nil {
		rr.werr = err
		return err
	}
	return nil
}

// rowMessages walks Event Hub messages whose records are flat rows, each
// naming its table by its Type, as a Log Analytics data export sends them.
func (w *valueWalker) rowMessages() {
	l := w.l
	for {
		c, ok := l.skipWS()
		if !ok {
			return
		}
		start := l.pos
		if c != '{' {
			w.rr.fault(&DataError{Path: w.rr.name, Msg: "expected event hub message object, " +
				"found " + describeByte(c), Err: ErrBadRecord}, w.buf[start:])
			return
		}
		err := l.members(func(key []byte) error {
			if !bytes.EqualFold(key, []byte("records")) {
				return l.skip(0)
			}
			c, err := l.next("records array")
			if err != nil {
				return err
			}
			s := l.pos
			if c != '[' {
				if err := l.skip(0); err != nil {
					return err
				}
				w.rr.fault(&DataError{Path: w.rr.name, Msg: "expected records array, found " +
					describeByte(c), Err: ErrBadRecord}, w.buf[s:l.pos])
				return nil
			}
			return l.elements(w.row)
		})
		if err != nil {
			w.rr.fault(w.rr.wrap(err, 0), w.buf[start:])
			return // the rest of the body cannot be trusted
		}
	}
}

// row walks one flat row of a row message, which its Type assigns.
func (w *valueWalker) row() error {
	l := w.l
	c, err := l.next("record")
	if err != nil {
		return err
	}
	s := l.pos
	if c != '{' {
		if err := l.skip(0); err != nil {
			return err
		}
		w.rr.fault(&DataError{Path: w.rr.name, Msg: "expected record object, found " +
			describeByte(c), Err: ErrBadRecord}, w.buf[s:l.pos])
		return nil
	}
	table, err := (&jsonFile{path: w.rr.name, l: l}).rowType()
	if err != nil {
		return err
	}
	row := w.buf[s:l.pos]
	if table == "" {
		w.rr.fault(&DataError{Path: w.rr.name, Msg: "expected a Type naming the row's " +
			"table, found none", Err: ErrBadRecord}, row)
		return nil
	}
	w.add(table, 0, row, row)
	return nil
}

package source

import "bytes"

// A Log Analytics workspace data export rule sends its tables to Event Hub
// as messages {"records": [row...]} whose records are flat rows (with
// TimeGenerated, TenantId and a Type naming the table) rather than
// Defender's {category, properties}. Capture files of such a hub hold them
// in their bodies, which are in memory, so a record can be read twice:
// once for its Type, then as the row of that table.

// isRowMessage reports whether an event body is a message whose first
// record is a flat row with a Type and no category or properties.
func isRowMessage(body []byte) bool {
	l := newBytesLexer(body)
	if c, ok := l.skipWS(); !ok || c != '{' {
		return false
	}
	row := false
	err := l.members(func(key []byte) error {
		if !bytes.EqualFold(key, []byte("records")) {
			return l.skip(0)
		}
		if c, err := l.next("records"); err != nil || c != '[' {
			return errStop
		}
		l.pos++
		if c, err := l.next("record"); err != nil || c != '{' {
			return errStop
		}
		hasType := false
		err := l.members(func(key []byte) error {
			switch {
			case bytes.EqualFold(key, []byte("category")),
				bytes.EqualFold(key, []byte("properties")):
				return errStop
			case string(key) == "Type":
				hasType = true
			}
			return l.skip(0)
		})
		row = hasType && err == nil
		return errStop
	})
	return row && err == errStop
}

// rowMessage walks the messages of flat rows in a body, each row's Type
// naming its table.
func (f *jsonFile) rowMessage(h rowHandler) error {
	l := f.l
	for {
		c, ok := l.skipWS()
		if !ok {
			return nil
		}
		if c != '{' {
			return f.badRecord("expected event hub message object, found " + describeByte(c))
		}
		if err := f.rowRecords(h); err != nil {
			return err
		}
	}
}

// rowRecords consumes one message of flat rows, the lexer at its '{'.
func (f *jsonFile) rowRecords(h rowHandler) error {
	l := f.l
	return l.members(func(key []byte) error {
		if !bytes.EqualFold(key, []byte("records")) {
			return l.skip(0)
		}
		c, err := l.next("records array")
		if err != nil {
			return err
		}
		if c != '[' {
			return f.badRecord("expected records array, found " + describeByte(c))
		}
		return l.elements(func() error {
			f.record++
			c, err := l.next("record")
			if err != nil {
				return err
			}
			if c != '{' {
				return f.badRecord("expected record object, found " + describeByte(c))
			}
			pos, line := l.pos, l.line
			table, err := f.rowType()
			if err != nil {
				return err
			}
			if table == "" {
				return f.badRecordAt(line, "expected a Type naming the row's table, found none")
			}
			l.pos, l.line = pos, line
			f.line = line
			if h.want(table) {
				return h.row(f, table)
			}
			return l.skip(0)
		})
	})
}

// rowType consumes a row object and returns the table its Type names.
func (f *jsonFile) rowType() (string, error) {
	l := f.l
	table := ""
	err := l.members(func(key []byte) error {
		if string(key) != "Type" {
			return l.skip(0)
		}
		k, text, err := l.scalar()
		if err != nil {
			return err
		}
		switch k {
		case kString:
			table = canonicalTable(string(text))
		case kObject, kArray:
			if err := l.skip(0); err != nil {
				return err
			}
		}
		return nil
	})
	return table, err
}

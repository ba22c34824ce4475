package source

import (
	"bytes"

	"github.com/huntql/huntql/internal/schema"
	"github.com/huntql/huntql/internal/types"
)

// sampleRows is how many rows of each file Scan looks at to find columns
// that the built-in schema lacks and infer their types.
const sampleRows = 1000

// kindMask records the kinds of JSON value seen in a column.
type kindMask uint8

const (
	maskNull    kindMask = 1 << iota // null or missing
	maskEmpty                        // the empty string
	maskBool                         // true, false
	maskInt                          // a number without fraction or exponent
	maskReal                         // any other number
	maskDate                         // a string in ISO 8601 datetime form
	maskString                       // any other string
	maskDynamic                      // an object or array
)

// inferType returns the column type fitting every kind in m: one kind gives
// its type, int and real give real, anything else mixed gives string. A
// column that held only nulls is dynamic, which accepts any later value.
func inferType(m kindMask) types.Type {
	switch m &^ (maskNull | maskEmpty) {
	case 0:
		if m&maskEmpty != 0 {
			return types.String
		}
		return types.Dynamic
	case maskBool:
		return types.Bool
	case maskInt:
		return types.Long
	case maskReal, maskInt | maskReal:
		return types.Real
	case maskDate:
		return types.Datetime
	case maskDynamic:
		return types.Dynamic
	}
	return types.String
}

// tableStats is what Scan learns about one table.
type tableStats struct {
	name   string
	known  map[string]bool // columns of the built-in schema
	extras []string        // other columns, in order of first appearance
	kinds  map[string]kindMask
	files  []*fileInfo
	// sampled counts the rows sampled from the last file in files.
	sampled int
}

// collector is the rowHandler of Scan: it notes each table's files and
// samples rows for columns missing from the built-in schema.
type collector struct {
	tables map[string]*tableStats
	file   *fileInfo // the file being scanned
}

func newCollector() *collector { return &collector{tables: map[string]*tableStats{}} }

// stats returns the table's statistics, registering the current file.
func (c *collector) stats(table string) *tableStats {
	st := c.tables[table]
	if st == nil {
		st = &tableStats{name: table, known: map[string]bool{}, kinds: map[string]kindMask{}}
		if s, ok := schema.Lookup(table); ok {
			for _, f := range s {
				st.known[f.Name] = true
			}
		}
		c.tables[table] = st
	}
	if n := len(st.files); n == 0 || st.files[n-1] != c.file {
		st.files = append(st.files, c.file)
		st.sampled = 0
	}
	return st
}

// note records a value kind for a column.
func (st *tableStats) note(name string, m kindMask) {
	if old, ok := st.kinds[name]; ok {
		st.kinds[name] = old | m
		return
	}
	st.extras = append(st.extras, name)
	st.kinds[name] = m
}

func (c *collector) want(table string) bool {
	return c.stats(table).sampled < sampleRows
}

// row samples one JSON row object.
func (c *collector) row(f *jsonFile, table string) error {
	st := c.stats(table)
	st.sampled++
	l := f.l
	err := l.members(func(key []byte) error {
		if st.known[string(key)] {
			return l.skip(0)
		}
		name := string(key) // key is invalid once the value is read
		k, text, err := l.scalar()
		if err != nil {
			return err
		}
		m := maskOf(k, text)
		if k == kObject || k == kArray {
			if err := l.skip(0); err != nil {
				return err
			}
		}
		st.note(name, m)
		return nil
	})
	if err != nil {
		return err
	}
	if f.mode == modeRows && st.sampled >= sampleRows {
		return errStop
	}
	return nil
}

// bagRow samples one decoded row.
func (c *collector) bagRow(_ *jsonFile, table string, row *types.Bag) error {
	st := c.stats(table)
	st.sampled++
	for _, key := range row.Keys() {
		if st.known[key] {
			continue
		}
		v, _ := row.Get(key)
		st.note(key, dynamicMask(v))
	}
	return nil
}

// maskOf returns the kind of a scalar token.
func maskOf(k kind, text []byte) kindMask {
	switch k {
	case kNull:
		return maskNull
	case kBool:
		return maskBool
	case kNumber:
		if bytes.ContainsAny(text, ".eE") {
			return maskReal
		}
		return maskInt
	case kString:
		if len(text) == 0 {
			return maskEmpty
		}
		if _, ok := parseISODate(text); ok {
			return maskDate
		}
		return maskString
	}
	return maskDynamic
}

// dynamicMask returns the kind of a decoded value.
func dynamicMask(v any) kindMask {
	switch x := v.(type) {
	case nil:
		return maskNull
	case bool:
		return maskBool
	case int64:
		return maskInt
	case float64:
		return maskReal
	case string:
		return maskOf(kString, []byte(x))
	}
	return maskDynamic
}

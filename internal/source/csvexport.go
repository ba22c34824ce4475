package source

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/huntql/huntql/internal/schema"
	"github.com/huntql/huntql/internal/types"
)

// Log Analytics (and Sentinel) exports query results as CSV whose
// datetime headers name the time zone the portal showed them in,
// "TimeGenerated [UTC]", and whose datetimes read "10/25/2023, 9:43:21.994
// AM". The file is named query_data.csv or whatever the user chose; each
// row's Type column names its table. Advanced Hunting exports ISO 8601
// datetimes, and some tools write "May 7, 2025 4:16:30 PM".

// csvColumn is one column of a CSV header.
type csvColumn struct {
	name  string // the header without its time zone suffix
	shift int64  // ticks to subtract to get UTC, for a "[UTC+hh:mm]" header
	zoned bool   // the header named a time zone, so the column holds datetimes
}

// csvColumns reads the column names of a header, stripping the time zone
// suffix of Log Analytics exports. A zone that cannot be placed (the
// exporter's local time) is an error on line 1.
func csvColumns(path string, header []string) ([]csvColumn, error) {
	cols := make([]csvColumn, len(header))
	for i, h := range header {
		c, err := parseCSVColumn(h)
		if err != "" {
			return nil, &DataError{Path: path, Line: 1, Column: h, Msg: err, Err: ErrBadRecord}
		}
		cols[i] = c
	}
	return cols, nil
}

// parseCSVColumn splits "Name [zone]". A bracket that names no zone
// ("Size [bytes]") is part of the name.
func parseCSVColumn(h string) (csvColumn, string) {
	open := strings.LastIndex(h, " [")
	if open < 0 || !strings.HasSuffix(h, "]") {
		return csvColumn{name: h}, ""
	}
	name, zone := strings.TrimSpace(h[:open]), strings.TrimSpace(h[open+2:len(h)-1])
	lower := strings.ToLower(zone)
	switch {
	case lower == "utc" || lower == "gmt" || lower == "z":
		return csvColumn{name: name, zoned: true}, ""
	case strings.HasPrefix(lower, "utc+") || strings.HasPrefix(lower, "utc-"):
		off, ok := parseZoneOffset(zone[3:])
		if !ok {
			return csvColumn{}, fmt.Sprintf("expected a time zone like [UTC] or [UTC+02:00], "+
				"found %s", quoteFound("["+zone+"]"))
		}
		return csvColumn{name: name, shift: off, zoned: true}, ""
	case strings.HasPrefix(lower, "local"):
		return csvColumn{}, fmt.Sprintf("expected times in UTC ([UTC] or [UTC+hh:mm]), "+
			"found %s, whose offset the file does not say; export again with the portal's "+
			"time zone set to UTC", quoteFound("["+zone+"]"))
	}
	return csvColumn{name: h}, ""
}

// parseZoneOffset parses +h, +hh, +hh:mm or -hh:mm into ticks.
func parseZoneOffset(s string) (int64, bool) {
	sign := int64(1)
	if s[0] == '-' {
		sign = -1
	}
	hs, ms, _ := strings.Cut(s[1:], ":")
	h, err1 := strconv.Atoi(hs)
	m := 0
	var err2 error
	if ms != "" {
		m, err2 = strconv.Atoi(ms)
	}
	if err1 != nil || err2 != nil || len(hs) > 2 || h > 14 || m > 59 || (ms != "" && len(ms) != 2) {
		return 0, false
	}
	return sign * (int64(h)*int64(types.Hour) + int64(m)*int64(types.Minute)), true
}

// typeColumn returns the index of the Type column that names each row's
// table in a Log Analytics export, or -1. It is used only when the file's
// name is no table's: DeviceInfo.csv holds DeviceInfo whatever its Type
// cells say, query_data.csv holds the tables its Type cells name.
func typeColumn(fi *fileInfo, cols []csvColumn) int {
	if _, known := schema.Canonical(fi.table); known || fi.fallback != "" ||
		schema.IsWatchlistTable(fi.table) {
		return -1
	}
	for i, c := range cols {
		if c.name == "Type" {
			return i
		}
	}
	return -1
}

// rowTables maps the Type cells of a typed CSV file to table names,
// remembering the last cell (rows of one table tend to come together).
// def is the table of a row whose Type names none.
type rowTables struct {
	def       string
	last, tab string
}

// table returns the table of a row with the given Type cell: the table it
// names when that is a built-in table or a custom log (Name_CL), else the
// file name's (a Type column of some other meaning).
func (rt *rowTables) table(cell string) string {
	if cell != rt.last || rt.tab == "" {
		rt.set(cell)
	}
	return rt.tab
}

// tableOf is table for a cell given as bytes, converted only when it
// differs from the last.
func (rt *rowTables) tableOf(cell []byte) string {
	if string(cell) != rt.last || rt.tab == "" {
		rt.set(string(cell))
	}
	return rt.tab
}

// set looks up the table of a Type cell.
func (rt *rowTables) set(cell string) {
	rt.last, rt.tab = cell, rt.def
	c := strings.TrimSpace(cell)
	if t, ok := schema.Canonical(c); ok {
		rt.tab = t
	} else if len(c) > 3 && strings.HasSuffix(c, "_CL") {
		rt.tab = c
	}
}

// scanTypedCSV learns the tables of a CSV file whose Type column names
// each row's table. A table takes the columns that are non-empty in any of
// its rows.
func scanTypedCSV(fi *fileInfo, cr *csv.Reader, cols []csvColumn, typeCol int,
	c *collector) error {
	rt := rowTables{def: fi.table}
	used := map[string][]bool{}
	var order []string
	line := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fieldCountOr(fi.path, err, rec, len(cols), line)
		}
		line, _ = cr.FieldPos(0)
		table := rt.table(rec[typeCol])
		u := used[table]
		if u == nil {
			u = make([]bool, len(cols))
			used[table] = u
			order = append(order, table)
		}
		for i, cell := range rec {
			if cell != "" {
				u[i] = true
			}
		}
	}
	if len(order) == 0 { // no rows: the file names its table, as other CSV does
		noteColumns(c.stats(fi.table), cols, nil)
	}
	for _, table := range order {
		noteColumns(c.stats(table), cols, used[table])
	}
	return nil
}

// noteColumns adds the columns of a header a table lacks (those marked
// in use, or all when use is nil): strings, or datetimes for a header that
// names a time zone.
func noteColumns(st *tableStats, cols []csvColumn, use []bool) {
	for i, col := range cols {
		if st.known[col.name] || (use != nil && !use[i]) {
			continue
		}
		m := maskString
		if col.zoned {
			m = maskDate
		}
		st.note(col.name, m)
	}
}

// fieldCountOr reports a row with the wrong number of fields by what the
// header expects, and other errors as csvError does.
func fieldCountOr(path string, err error, rec []string, want, line int) error {
	var pe *csv.ParseError
	if errors.Is(err, csv.ErrFieldCount) && errors.As(err, &pe) {
		return &DataError{Path: path, Line: pe.Line, Msg: fmt.Sprintf(
			"expected %d fields as in the header, found %d", want, len(rec)), Err: ErrMalformed}
	}
	return csvError(path, err, line)
}

// exportDateLayouts are datetimes of CSV exports that Kusto's datetime
// parsing (types.ParseDatetime) does not take.
var exportDateLayouts = []string{
	"Jan 2, 2006 3:04:05 PM",
	"Jan 2, 2006, 3:04:05 PM",
	"January 2, 2006 3:04:05 PM",
	"January 2, 2006, 3:04:05 PM",
	"Jan 2, 2006 15:04:05",
}

// parseCSVDate parses a datetime cell: ISO 8601 and the Log Analytics form
// on fast paths, then Kusto's forms, then the other export forms.
func parseCSVDate(text []byte) (types.Date, bool) {
	if d, ok := parseISODate(text); ok {
		return d, true
	}
	if d, ok := parseUSDate(text); ok {
		return d, true
	}
	if d, ok := types.ParseDatetime(string(text)); ok {
		return d, true
	}
	s := string(text)
	for _, layout := range exportDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return types.DateFromTime(t), true
		}
	}
	return 0, false
}

// parseUSDate parses exactly M/D/YYYY, h:mm:ss[.f{1,7}] AM|PM (the comma
// optional), as Log Analytics exports datetimes.
func parseUSDate(b []byte) (types.Date, bool) {
	var f [6]int
	i := 0
	num := func(min, max int) (int, bool) {
		j := i
		for i < len(b) && i-j < max && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i-j < min {
			return 0, false
		}
		n, _ := digits(b[j:i])
		return n, true
	}
	sep := func(c byte) bool {
		if i < len(b) && b[i] == c {
			i++
			return true
		}
		return false
	}
	var ok bool
	seps := []byte{'/', '/', ' ', ':', ':', 0}
	mins := []int{1, 1, 4, 1, 2, 2}
	maxs := []int{2, 2, 4, 2, 2, 2}
	for k := range f {
		if f[k], ok = num(mins[k], maxs[k]); !ok {
			return 0, false
		}
		if k == 2 {
			sep(',')
		}
		if seps[k] != 0 && !sep(seps[k]) {
			return 0, false
		}
	}
	var frac int64
	if sep('.') {
		j := i
		n, ok := num(1, 7)
		if !ok {
			return 0, false
		}
		frac = int64(n)
		for k := i - j; k < 7; k++ {
			frac *= 10
		}
	}
	if !sep(' ') || len(b)-i != 2 || (b[i+1] != 'M' && b[i+1] != 'm') {
		return 0, false
	}
	month, day, year, hour, minute, sec := f[0], f[1], f[2], f[3], f[4], f[5]
	switch b[i] {
	case 'A', 'a':
		if hour == 12 {
			hour = 0
		}
	case 'P', 'p':
		if hour != 12 {
			hour += 12
		}
	default:
		return 0, false
	}
	if year < 1 || month < 1 || month > 12 || day < 1 || f[3] < 1 || f[3] > 12 ||
		minute > 59 || sec > 59 {
		return 0, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day {
		return 0, false
	}
	return types.DateFromTime(t) + types.Date(frac), true
}

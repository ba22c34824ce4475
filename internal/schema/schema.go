// Package schema holds the built-in table definitions huntql knows without
// any data: the 62 Microsoft Defender XDR Advanced Hunting tables and the
// Microsoft Sentinel (Log Analytics) tables, with Kusto column types.
//
// The definitions are compiled into the binary (tables.gz, written by the
// generator in ./gen from the reference files in ../shared/schema). Three
// views are offered, because the two products disagree on some tables:
//
//   - Lookup: the definition a query over Defender data sees. Where a
//     table exists in both products the Defender definition wins (its
//     AdditionalFields is a string, for example, not a dynamic).
//   - LookupSentinel: the Sentinel definition only, for Sentinel exports.
//   - LookupMerged: Lookup's columns followed by the columns only Sentinel
//     has (TenantId, TimeGenerated, Type, ...), each with Sentinel's type.
//     The analyzer uses it to accept queries written for either product.
package schema

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

//go:generate go run ./gen -o tables.gz

//go:embed tables.gz
var tablesGz []byte

// catalog is the decoded embedded table list.
type catalog struct {
	defender map[string]column.Schema
	sentinel map[string]column.Schema
	names    []string          // every table name of both sections, sorted
	lower    map[string]string // lower-cased name -> name
}

var (
	loadOnce sync.Once
	loaded   *catalog
)

// get decodes the embedded tables on first use. The data is generated and
// tested, so a decoding failure is a build defect and panics.
func get() *catalog {
	loadOnce.Do(func() {
		c, err := decode(tablesGz)
		if err != nil {
			panic("schema: embedded tables: " + err.Error())
		}
		loaded = c
	})
	return loaded
}

// decode parses the generator's output (see package gen for the format).
func decode(gz []byte) (*catalog, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	c := &catalog{
		defender: map[string]column.Schema{},
		sentinel: map[string]column.Schema{},
		lower:    map[string]string{},
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var section map[string]column.Schema
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		switch {
		case line == 1:
			if text != "huntql-schema 1" {
				return nil, fmt.Errorf("expected header huntql-schema 1, found %q", text)
			}
			continue
		case text == "[defender]":
			section = c.defender
			continue
		case text == "[sentinel]":
			section = c.sentinel
			continue
		case section == nil:
			return nil, fmt.Errorf("line %d: expected a section header, found %q", line, text)
		}
		parts := strings.Split(text, "\t")
		s := make(column.Schema, 0, len(parts)-1)
		for _, p := range parts[1:] {
			name, tname, ok := strings.Cut(p, ":")
			t, known := types.Parse(tname)
			if !ok || !known {
				return nil, fmt.Errorf("line %d: expected column:type, found %q", line, p)
			}
			s = append(s, column.Field{Name: name, Type: t})
		}
		section[parts[0]] = s
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, m := range []map[string]column.Schema{c.defender, c.sentinel} {
		for name := range m {
			if _, dup := c.lower[strings.ToLower(name)]; !dup {
				c.names = append(c.names, name)
			}
			c.lower[strings.ToLower(name)] = name
		}
	}
	sort.Strings(c.names)
	return c, nil
}

// Lookup returns the columns of a built-in table: the Defender Advanced
// Hunting definition when there is one, the Sentinel one otherwise. Table
// names are case-sensitive, as in Kusto. The result is the caller's to keep.
func Lookup(table string) (column.Schema, bool) {
	c := get()
	if s, ok := c.defender[table]; ok {
		return slices.Clone(s), true
	}
	s, ok := c.sentinel[table]
	return slices.Clone(s), ok
}

// LookupDefender returns the Defender Advanced Hunting definition of table.
func LookupDefender(table string) (column.Schema, bool) {
	s, ok := get().defender[table]
	return slices.Clone(s), ok
}

// LookupSentinel returns the Microsoft Sentinel definition of table.
func LookupSentinel(table string) (column.Schema, bool) {
	s, ok := get().sentinel[table]
	return slices.Clone(s), ok
}

// LookupMerged returns Lookup's columns followed by the columns that only
// the Sentinel definition has, in Sentinel's order and with Sentinel's
// types. For a table only one product defines it equals Lookup.
func LookupMerged(table string) (column.Schema, bool) {
	s, ok := Lookup(table)
	if !ok {
		return nil, false
	}
	if _, both := get().defender[table]; !both {
		return s, true
	}
	for _, f := range get().sentinel[table] {
		if s.Index(f.Name) < 0 {
			s = append(s, f)
		}
	}
	return s, true
}

// Tables returns the names of every built-in table of either product,
// sorted. The slice is the caller's to keep.
func Tables() []string { return slices.Clone(get().names) }

// DefenderTables returns the names of the Advanced Hunting tables, sorted.
func DefenderTables() []string { return sortedKeys(get().defender) }

// SentinelTables returns the names of the Sentinel tables, sorted.
func SentinelTables() []string { return sortedKeys(get().sentinel) }

func sortedKeys(m map[string]column.Schema) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Canonical returns the built-in table whose name equals name ignoring
// case, so a file named devicenetworkevents.json can be matched to
// DeviceNetworkEvents.
func Canonical(name string) (string, bool) {
	n, ok := get().lower[strings.ToLower(name)]
	return n, ok
}

// Closest returns the built-in table name closest to name, for "did you
// mean" suggestions, or "" when none is close enough. See ClosestOf.
func Closest(name string) string { return ClosestOf(name, get().names) }

// ClosestOf returns the candidate closest to name by case-insensitive edit
// distance (Levenshtein), or "" when none is within max(1, len(name)/3)
// edits. A candidate equal to name ignoring case always wins; among equally
// close candidates the earliest wins, so callers control ties by order.
// A name of three or more characters that no candidate is within one edit
// of, but that begins some candidates, is taken as cut short: the shortest
// of those wins (DeviceNetwork suggests DeviceNetworkInfo, not DeviceEtw).
func ClosestOf(name string, candidates []string) string {
	best, d := closestByEdits(name, candidates)
	if d <= 1 || len(name) < 3 {
		return best
	}
	lname, prefixed := strings.ToLower(name), ""
	for _, c := range candidates {
		if len(c) > len(name) && strings.HasPrefix(strings.ToLower(c), lname) &&
			(prefixed == "" || len(c) < len(prefixed)) {
			prefixed = c
		}
	}
	if prefixed != "" {
		return prefixed
	}
	return best
}

// closestByEdits returns the candidate nearest to name by edit distance, and
// the distance, or "" when none is within max(1, len(name)/3) edits.
func closestByEdits(name string, candidates []string) (string, int) {
	if name == "" {
		return "", 0
	}
	lname := []rune(strings.ToLower(name))
	limit := max(1, len(lname)/3)
	best, bestDist := "", limit+1
	var row []int
	for _, c := range candidates {
		lc := []rune(strings.ToLower(c))
		if abs(len(lc)-len(lname)) >= bestDist {
			continue
		}
		var d int
		d, row = distance(lname, lc, row)
		if d < bestDist {
			best, bestDist = c, d
			if d == 0 {
				break
			}
		}
	}
	return best, bestDist
}

// distance returns the Levenshtein distance of a and b, reusing row as
// scratch space (it is returned, possibly grown, for the next call).
func distance(a, b []rune, row []int) (int, []int) {
	if cap(row) < len(b)+1 {
		row = make([]int, len(b)+1)
	}
	row = row[:len(b)+1]
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag = row[j]
			row[j] = next
		}
	}
	return row[len(b)], row
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

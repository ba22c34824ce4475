package store

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/lz4"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// keyColumn holds each row's 16-byte record key, by which repeats are
// dropped; it is not part of the table's schema.
const keyColumn = "_huntql_key"

// codec compresses every column: LZ4 (LZ4_RAW), which decompresses several
// times faster than zstd for a quarter more bytes (the store stays near 4%
// of its JSON sources); at 10M rows zstd's decoding took a fifth of a join's
// CPU. Files written with zstd by earlier versions read as before.
var codec = &lz4.Codec{Level: lz4.Fastest}

// rowGroupRows is the most rows a row group holds: small enough that
// statistics prune well and a query's parts spread over the cores, large
// enough that the dictionaries and page headers decoded per row group are
// few. Tests lower it.
var rowGroupRows = 128 * 1024

// How Kusto types are stored (see README): bool BOOLEAN; int INT32; long
// INT64; real DOUBLE; datetime INT64 TIMESTAMP(NANOS, UTC); timespan INT64
// 100 ns ticks; string STRING, dictionary encoded; guid UUID; decimal
// STRING; dynamic JSON. Every column but strings is optional.
func parquetNode(t types.Type) parquet.Node {
	var n parquet.Node
	switch t {
	case types.Bool:
		n = parquet.Leaf(parquet.BooleanType)
	case types.Int:
		n = parquet.Int(32)
	case types.Long, types.Timespan:
		n = parquet.Int(64)
	case types.Real:
		n = parquet.Leaf(parquet.DoubleType)
	case types.Datetime:
		n = parquet.Timestamp(parquet.Nanosecond)
	case types.String:
		return parquet.Compressed(parquet.Encoded(parquet.String(), &parquet.RLEDictionary),
			codec)
	case types.Guid:
		n = parquet.UUID()
	case types.Decimal:
		n = parquet.String()
	default:
		n = parquet.JSON()
	}
	return parquet.Compressed(parquet.Optional(n), codec)
}

// ticksToNanos converts a datetime to nanoseconds since the Unix epoch;
// ok is false outside the years 1678-2261 that Parquet nanoseconds cover.
func ticksToNanos(d types.Date) (int64, bool) {
	const epoch = 621_355_968_000_000_000
	t := int64(d) - epoch
	if t > math.MaxInt64/100 || t < math.MinInt64/100 {
		return 0, false
	}
	return t * 100, true
}

func nanosToTicks(ns int64) types.Date {
	const epoch = 621_355_968_000_000_000
	return types.Date(ns/100 + epoch)
}

// fileSchema builds the Parquet schema of fields plus the key column, and
// returns for each field its leaf index (Parquet orders a group's fields
// by name).
func fileSchema(fields column.Schema) (*parquet.Schema, []int, int) {
	g := parquet.Group{}
	names := make([]string, 0, len(fields)+1)
	for _, f := range fields {
		g[f.Name] = parquetNode(f.Type)
		names = append(names, f.Name)
	}
	g[keyColumn] = parquet.Compressed(parquet.Leaf(parquet.FixedLenByteArrayType(16)),
		codec)
	names = append(names, keyColumn)
	sort.Strings(names)
	pos := map[string]int{}
	for i, n := range names {
		pos[n] = i
	}
	idx := make([]int, len(fields))
	for i, f := range fields {
		idx[i] = pos[f.Name]
	}
	return parquet.NewSchema("huntql", g), idx, pos[keyColumn]
}

// errTimeRange marks a datetime Parquet cannot store exactly.
var errTimeRange = errors.New("datetime outside the years 1678-2261 that the store can hold")

// parquetValue converts row i of v for column col.
func parquetValue(v *column.Vector, i, col int) (parquet.Value, error) {
	if v.Type == types.String {
		return parquet.ByteArrayValue([]byte(v.Str[i])).Level(0, 0, col), nil
	}
	if v.IsNull(i) {
		return parquet.Value{}.Level(0, 0, col), nil
	}
	var p parquet.Value
	switch v.Type {
	case types.Bool:
		p = parquet.BooleanValue(v.Bool[i])
	case types.Int:
		p = parquet.Int32Value(int32(v.Int[i]))
	case types.Long, types.Timespan:
		p = parquet.Int64Value(v.Int[i])
	case types.Datetime:
		ns, ok := ticksToNanos(types.Date(v.Int[i]))
		if !ok {
			return p, errTimeRange
		}
		p = parquet.Int64Value(ns)
	case types.Real:
		p = parquet.DoubleValue(v.Real[i])
	case types.Guid:
		u := v.Any[i].(uuid.UUID)
		p = parquet.FixedLenByteArrayValue(u[:])
	case types.Decimal:
		p = parquet.ByteArrayValue([]byte(v.Any[i].(decimal.Decimal).String()))
	default:
		p = parquet.ByteArrayValue(appendDynamic(nil, v.Any[i]))
	}
	return p.Level(0, 1, col), nil
}

// appendDynamic encodes a dynamic value as JSON that decodes to the same
// value: a real always shows a fraction or exponent, so 1.0 stays a real.
func appendDynamic(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case int32:
		return strconv.AppendInt(b, int64(x), 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return appendJSONString(b, types.FormatReal(x)) // JSON has no such number
		}
		n := len(b)
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
		if !bytes.ContainsAny(b[n:], ".e") {
			b = append(b, ".0"...)
		}
		return b
	case string:
		return appendJSONString(b, x)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendDynamic(b, e)
		}
		return append(b, ']')
	case *types.Bag:
		b = append(b, '{')
		for i, k := range x.Keys() {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			e, _ := x.Get(k)
			b = appendDynamic(b, e)
		}
		return append(b, '}')
	}
	return types.AppendJSON(b, v) // datetimes, guids... as Kusto prints them
}

const hexDigits = "0123456789abcdef"

func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// written describes a Parquet file just written.
type written struct {
	rows, bytes int64
	rowGroups   int
	minT, maxT  types.Date
	hasTime     bool
	stats       map[string][2]string
}

// maxStatLen bounds the string bounds kept in the manifest.
const maxStatLen = 64

// writeParquet writes the rows of batches (in fields) with their keys to
// path, synced. timeCol is the index of the time column, or -1.
func writeParquet(path string, fields column.Schema, batches []*column.Batch, keys [][16]byte,
	timeCol int,
) (*written, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(path)
		}
	}()
	sch, idx, keyIdx := fileSchema(fields)
	w := parquet.NewWriter(f, sch, parquet.MaxRowsPerRowGroup(int64(rowGroupRows)),
		parquet.KeyValueMetadata("huntql.schema", schemaText(fields)))
	out := &written{stats: map[string][2]string{}}
	strMin := make([]string, len(fields))
	strMax := make([]string, len(fields))
	// WriteRows copies the values, so the rows are reused chunk to chunk.
	const chunk = 256
	rows := make([]parquet.Row, chunk)
	for i := range rows {
		rows[i] = make(parquet.Row, len(fields)+1)
	}
	n := 0
	k := 0
	for _, b := range batches {
		for i := 0; i < b.N; i++ {
			row := rows[n]
			for j, v := range b.Cols {
				p, err := parquetValue(v, i, idx[j])
				if err != nil {
					return nil, fmt.Errorf("column %s: %w", fields[j].Name, err)
				}
				row[idx[j]] = p
				if v.Type == types.String {
					s := v.Str[i]
					if out.rows == 0 || s < strMin[j] {
						strMin[j] = s
					}
					if out.rows == 0 || s > strMax[j] {
						strMax[j] = s
					}
				}
			}
			if timeCol >= 0 && !b.Cols[timeCol].IsNull(i) {
				t := types.Date(b.Cols[timeCol].Int[i])
				if !out.hasTime || t < out.minT {
					out.minT = t
				}
				if !out.hasTime || t > out.maxT {
					out.maxT = t
				}
				out.hasTime = true
			}
			row[keyIdx] = parquet.FixedLenByteArrayValue(keys[k][:]).Level(0, 0, keyIdx)
			k++
			out.rows++
			if n++; n == chunk {
				if _, err := w.WriteRows(rows); err != nil {
					return nil, err
				}
				n = 0
			}
		}
	}
	if _, err := w.WriteRows(rows[:n]); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	ok = true
	out.bytes = info.Size()
	out.rowGroups = len(w.File().RowGroups())
	for j, fd := range fields {
		if fd.Type == types.String && out.rows > 0 &&
			len(strMin[j]) <= maxStatLen && len(strMax[j]) <= maxStatLen {
			out.stats[fd.Name] = [2]string{strMin[j], strMax[j]}
		}
	}
	return out, nil
}

// schemaText records the Kusto types in the file, for readers other than
// the manifest.
func schemaText(fields column.Schema) string {
	var b []byte
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, f.Name...)
		b = append(b, ':')
		b = append(b, f.Type.String()...)
	}
	return string(b)
}

// pqFile is an open Parquet file of the store.
type pqFile struct {
	f  *os.File
	pf *parquet.File
}

func openParquet(path string) (*pqFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	// The reads use the chunks' statistics, not page indexes or bloom filters.
	pf, err := parquet.OpenFile(f, info.Size(), parquet.SkipPageIndex(true),
		parquet.SkipBloomFilters(true))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &pqFile{f: f, pf: pf}, nil
}

// Close closes the file.
func (p *pqFile) Close() error { return p.f.Close() }

// leaf returns the leaf column index of name, or -1.
func (p *pqFile) leaf(name string) int {
	lc, ok := p.pf.Schema().Lookup(name)
	if !ok {
		return -1
	}
	return lc.ColumnIndex
}

// bounds returns the statistics of column leaf in row group g.
func (p *pqFile) bounds(g, leaf int) (lo, hi parquet.Value, ok bool) {
	cc, isFile := p.pf.RowGroups()[g].ColumnChunks()[leaf].(*parquet.FileColumnChunk)
	if !isFile {
		return lo, hi, false
	}
	return cc.Bounds()
}

// appendValue appends a stored value to v.
func appendValue(v *column.Vector, x parquet.Value) error {
	if x.IsNull() {
		v.AppendNull()
		return nil
	}
	switch v.Type {
	case types.Bool:
		v.Append(x.Boolean())
	case types.Int:
		v.Append(x.Int32())
	case types.Long:
		v.Append(x.Int64())
	case types.Timespan:
		v.Append(types.Duration(x.Int64()))
	case types.Datetime:
		v.Append(nanosToTicks(x.Int64()))
	case types.Real:
		v.Append(x.Double())
	case types.String:
		v.Append(string(x.ByteArray()))
	case types.Guid:
		u, err := uuid.FromBytes(x.ByteArray())
		if err != nil {
			return err
		}
		v.Append(u)
	case types.Decimal:
		d, err := decimal.NewFromString(string(x.ByteArray()))
		if err != nil {
			return err
		}
		v.Append(d)
	default:
		d, err := types.ParseJSON(string(x.ByteArray()))
		if err != nil {
			return err
		}
		v.Append(d)
	}
	return nil
}

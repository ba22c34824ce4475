package store

import (
	"fmt"
	"io"
	"slices"
	"sync/atomic"

	"github.com/google/uuid"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// readColumn reads column leaf of row group g into a vector of type t.
// Pages are decoded from their typed buffers straight into the vector's
// slice; the strings of a page or dictionary share one allocation. A
// string chunk stored with a dictionary keeps it: Dict holds the chunk's
// dictionary and Codes each row's index into it. Pages in a layout the
// decoder does not know are read value by value (appendValue).
func (p *pqFile) readColumn(g, leaf int, t types.Type, n int) (*column.Vector, error) {
	return p.readRows(g, leaf, t, n, nil)
}

// readRows is readColumn keeping only the rows in sel (ascending) when sel
// is not nil: required string columns decode those rows only, other
// columns decode a page at a time into a scratch vector and keep those
// rows of it.
func (p *pqFile) readRows(g, leaf int, t types.Type, n int, sel []int,
) (*column.Vector, error) {
	return p.decodeChunk(g, leaf, t, n, sel, false)
}

// readCodes reads string column leaf of row group g, leaving Str empty
// while every page holds dictionary codes (Dict and Codes are set then):
// for choosing rows by code before looking their strings up (keepRows).
func (p *pqFile) readCodes(g, leaf, n int) (*column.Vector, error) {
	return p.decodeChunk(g, leaf, types.String, n, nil, true)
}

// keepCodes returns rows sel (nil: all) of v, which readCodes read, as a
// codes-only vector (column.Vector.CodesOnly) while v holds codes alone,
// else as keepRows does.
func keepCodes(v *column.Vector, sel []int) *column.Vector {
	if v.Type != types.String || v.Codes == nil || len(v.Str) == len(v.Codes) {
		return keepRows(v, sel)
	}
	out := &column.Vector{Type: types.String, Dict: v.Dict, Codes: v.Codes}
	if sel != nil {
		out.Codes = make([]int32, len(sel))
		for i, r := range sel {
			out.Codes[i] = v.Codes[r]
		}
	}
	return out
}

// keepRows returns rows sel (nil: all) of v, which readColumn or
// readCodes read.
func keepRows(v *column.Vector, sel []int) *column.Vector {
	if v.Type != types.String || v.Codes == nil || len(v.Str) == len(v.Codes) {
		if sel == nil {
			return v
		}
		return v.Gather(sel)
	}
	if sel == nil {
		v.Str = make([]string, len(v.Codes))
		for i, c := range v.Codes {
			v.Str[i] = v.Dict[c]
		}
		return v
	}
	out := &column.Vector{Type: types.String, Dict: v.Dict, Str: make([]string, len(sel)),
		Codes: make([]int32, len(sel))}
	for i, r := range sel {
		c := v.Codes[r]
		out.Codes[i], out.Str[i] = c, v.Dict[c]
	}
	return out
}

// decodeChunk reads column leaf of row group g: every row, the rows in
// sel, or (codesOnly) the codes of a dictionary-encoded string column.
func (p *pqFile) decodeChunk(g, leaf int, t types.Type, n int, sel []int, codesOnly bool,
) (*column.Vector, error) {
	if leaf < 0 {
		if sel != nil {
			n = len(sel)
		}
		return column.Null(t, n), nil
	}
	cc := p.pf.RowGroups()[g].ColumnChunks()[leaf]
	d := chunkDecoder{}
	if fc, ok := cc.(*parquet.FileColumnChunk); ok {
		if col, ok := fc.Node().(*parquet.Column); ok && col.MaxRepetitionLevel() == 0 &&
			col.MaxDefinitionLevel() <= 1 {
			d.typed = true
			d.maxDef = byte(col.MaxDefinitionLevel())
		}
	}
	// Rows of a scratch vector decoded page by page, and kept in out.
	var out, scratch *column.Vector
	switch {
	case sel != nil && d.typed && d.maxDef == 0 && t == types.String:
		d.sel = sel
		d.v = column.New(t, len(sel))
	case sel != nil:
		out = column.New(t, len(sel))
		scratch = column.New(t, 0)
		d.v = scratch
	case codesOnly && d.typed && d.maxDef == 0:
		d.codesOnly = true
		d.v = column.New(t, 0)
		d.codes = make([]int32, 0, n)
	default:
		d.v = column.New(t, n)
	}
	pages := cc.Pages()
	defer pages.Close()
	si := 0
	for {
		page, err := pages.ReadPage()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if scratch != nil {
			resetVector(scratch)
			d.v = scratch
		}
		err = d.page(page)
		parquet.Release(page)
		if err != nil {
			return nil, err
		}
		if scratch != nil {
			k := scratch.Len()
			for ; si < len(sel) && sel[si] < d.rows+k; si++ {
				out.AppendFrom(scratch, sel[si]-d.rows)
			}
			d.rows += k
		}
	}
	v := d.v
	rows := v.Len()
	if d.sel != nil || d.codesOnly || scratch != nil {
		rows = d.rows
	}
	if rows != n {
		return nil, fmt.Errorf("column has %d values, expected %d", rows, n)
	}
	if scratch != nil {
		return out, nil
	}
	if d.dict != nil && !d.noDict && (len(d.codes) == v.Len() || d.codesOnly) {
		v.Dict, v.Codes = d.dict, d.codes
	}
	return v, nil
}

// resetVector empties v, keeping its storage.
func resetVector(v *column.Vector) {
	v.Nulls = nil
	v.Bool, v.Int, v.Real, v.Str, v.Any = v.Bool[:0], v.Int[:0], v.Real[:0], v.Str[:0], v.Any[:0]
	v.Dict, v.Codes = nil, nil
}

// chunkDecoder decodes the pages of one column chunk into v.
type chunkDecoder struct {
	v      *column.Vector
	typed  bool // the column is flat, so pages may be decoded typed
	maxDef byte // definition level of a present value

	// Strings: the chunk's dictionary (from src) and each row's code.
	src    parquet.Dictionary
	dict   []string
	codes  []int32
	noDict bool // some rows are not dictionary codes: keep no dictionary

	// With sel (ascending rows of the chunk), only those rows are kept;
	// sel[si:] are still to come and rows counts the rows decoded.
	sel  []int
	si   int
	rows int
	// codesOnly: while every page holds dictionary codes, only codes are
	// kept (rows counts them); fillStr ends that.
	codesOnly bool
}

// fillStr looks up the strings of the codes kept so far, and ends
// codesOnly.
func (d *chunkDecoder) fillStr() {
	if !d.codesOnly {
		return
	}
	d.codesOnly = false
	v := d.v
	v.Str = extend(v.Str, len(d.codes))
	for i, c := range d.codes {
		v.Str[i] = d.dict[c]
	}
}

// pageRows returns the selected rows among the next k rows of the chunk
// and the index of the first of those k rows, and moves past them.
func (d *chunkDecoder) pageRows(k int) (rows []int, base int) {
	base = d.rows
	j := d.si
	for j < len(d.sel) && d.sel[j] < base+k {
		j++
	}
	rows = d.sel[d.si:j]
	d.si = j
	d.rows += k
	return rows, base
}

// extend returns s grown by k elements, which the caller sets.
func extend[T any](s []T, k int) []T {
	return slices.Grow(s, k)[:len(s)+k]
}

// spread moves the present values s[base:] of a page to their rows
// (defs[i] == maxDef marks a present row), in place from the back, and
// sets the null rows to zero.
func spread[T any](s []T, base int, defs []byte, maxDef byte) []T {
	j := len(s)
	s = extend(s, base+len(defs)-len(s))
	var zero T
	for i := len(defs) - 1; i >= 0; i-- {
		if defs[i] == maxDef {
			j--
			s[base+i] = s[j]
		} else {
			s[base+i] = zero
		}
	}
	return s
}

// page decodes one page.
func (d *chunkDecoder) page(page parquet.Page) error {
	if !d.typed {
		return d.valuesPage(page)
	}
	v := d.v
	defs := page.DefinitionLevels()
	rows := int(page.NumValues())
	nulls := 0
	if defs != nil {
		rows = len(defs)
		nulls = int(page.NumNulls())
	}
	k := rows - nulls // present values
	data := page.Data()
	kind := data.Kind()
	if dict := page.Dictionary(); dict != nil {
		if v.Type != types.String || kind != encoding.Int32 || !d.useDict(dict) {
			return d.valuesPage(page)
		}
		return d.dictPage(data.Int32(), k, defs)
	}
	base := v.Len()
	switch {
	case v.Type == types.Bool && kind == encoding.Boolean:
		bits := data.Boolean()
		if len(bits)*8 < k {
			return errShortPage(len(bits)*8, k)
		}
		v.Bool = extend(v.Bool, k)
		dst := v.Bool[base:]
		for i := range dst {
			dst[i] = bits[i>>3]>>(i&7)&1 != 0
		}
		if nulls > 0 {
			v.Bool = spread(v.Bool, base, defs, d.maxDef)
		}
	case v.Type == types.Int && kind == encoding.Int32:
		src := data.Int32()
		if len(src) < k {
			return errShortPage(len(src), k)
		}
		v.Int = extend(v.Int, k)
		dst := v.Int[base:]
		for i, x := range src[:len(dst)] {
			dst[i] = int64(x)
		}
		if nulls > 0 {
			v.Int = spread(v.Int, base, defs, d.maxDef)
		}
	case (v.Type == types.Long || v.Type == types.Timespan) && kind == encoding.Int64:
		src := data.Int64()
		if len(src) < k {
			return errShortPage(len(src), k)
		}
		v.Int = append(v.Int, src[:k]...)
		if nulls > 0 {
			v.Int = spread(v.Int, base, defs, d.maxDef)
		}
	case v.Type == types.Datetime && kind == encoding.Int64:
		src := data.Int64()
		if len(src) < k {
			return errShortPage(len(src), k)
		}
		v.Int = extend(v.Int, k)
		dst := v.Int[base:]
		for i, x := range src[:len(dst)] {
			dst[i] = int64(nanosToTicks(x))
		}
		if nulls > 0 {
			v.Int = spread(v.Int, base, defs, d.maxDef)
		}
	case v.Type == types.Real && kind == encoding.Double:
		src := data.Double()
		if len(src) < k {
			return errShortPage(len(src), k)
		}
		v.Real = append(v.Real, src[:k]...)
		if nulls > 0 {
			v.Real = spread(v.Real, base, defs, d.maxDef)
		}
	case v.Type == types.String && (kind == encoding.ByteArray ||
		kind == encoding.FixedLenByteArray):
		d.noDict = true
		if err := d.appendStrings(&data, k); err != nil {
			return err
		}
		if nulls > 0 {
			v.Str = spread(v.Str, base, defs, d.maxDef) // null strings are ""
		}
		return nil // strings are never null
	case v.Type == types.Guid && kind == encoding.FixedLenByteArray:
		b, size := data.FixedLenByteArray()
		if size != len(uuid.UUID{}) {
			return d.valuesPage(page) // uuid.FromBytes reports the size
		}
		if len(b) < k*size {
			return errShortPage(len(b)/size, k)
		}
		v.Any = extend(v.Any, k)
		dst := v.Any[base:]
		for i := range dst {
			dst[i] = uuid.UUID(b[i*size : (i+1)*size])
		}
		if nulls > 0 {
			v.Any = spread(v.Any, base, defs, d.maxDef)
			for i, l := range defs {
				if l != d.maxDef {
					v.Any[base+i] = uuid.UUID{}
				}
			}
		}
	case (v.Type == types.Decimal || v.Type == types.Dynamic) && kind == encoding.ByteArray:
		b, offs := data.ByteArray()
		if len(offs) < k+1 {
			return errShortPage(len(offs)-1, k)
		}
		s := string(b)
		v.Any = extend(v.Any, k)
		dst := v.Any[base:]
		for i := range dst {
			x := s[offs[i]:offs[i+1]]
			var err error
			if v.Type == types.Decimal {
				dst[i], err = decimal.NewFromString(x)
			} else {
				dst[i], err = types.ParseJSON(x)
			}
			if err != nil {
				return err
			}
		}
		if nulls > 0 {
			v.Any = spread(v.Any, base, defs, d.maxDef)
			if v.Type == types.Decimal {
				for i, l := range defs {
					if l != d.maxDef {
						v.Any[base+i] = decimal.Decimal{}
					}
				}
			}
		}
		if v.Type == types.Dynamic {
			// A JSON null is a null row, as Append(nil) makes it.
			for i, x := range v.Any[base:] {
				if x == nil {
					d.setNull(base + i)
				}
			}
		}
	default:
		return d.valuesPage(page)
	}
	if nulls > 0 && v.Type != types.Dynamic {
		for i, l := range defs {
			if l != d.maxDef {
				d.setNull(base + i)
			}
		}
	}
	if v.Nulls != nil && len(v.Nulls) < v.Len() {
		n := len(v.Nulls)
		v.Nulls = extend(v.Nulls, v.Len()-n)
		clear(v.Nulls[n:])
	}
	return nil
}

// setNull marks decoded row i null.
func (d *chunkDecoder) setNull(i int) {
	v := d.v
	if len(v.Nulls) <= i {
		if v.Nulls == nil {
			v.Nulls = make([]bool, 0, cap(v.Int)+cap(v.Real)+cap(v.Bool)+cap(v.Any))
		}
		n := len(v.Nulls)
		v.Nulls = extend(v.Nulls, v.Len()-n)
		clear(v.Nulls[n:])
	}
	v.Nulls[i] = true
}

// appendStrings appends the k plain values of data (byte arrays, or fixed
// length ones such as record keys), or the selected ones, as substrings of
// one string.
func (d *chunkDecoder) appendStrings(data *encoding.Values, k int) error {
	d.fillStr()
	v := d.v
	var rows []int
	base := 0
	if d.sel != nil {
		if rows, base = d.pageRows(k); len(rows) == 0 {
			return nil
		}
	}
	start := len(v.Str)
	var dst []string
	if d.sel != nil {
		v.Str = extend(v.Str, len(rows))
	} else {
		v.Str = extend(v.Str, k)
	}
	dst = v.Str[start:]
	if data.Kind() == encoding.FixedLenByteArray {
		b, size := data.FixedLenByteArray()
		if len(b) < k*size {
			return errShortPage(len(b)/max(size, 1), k)
		}
		s := string(b[:k*size])
		if d.sel != nil {
			for i, r := range rows {
				r -= base
				dst[i] = s[r*size : (r+1)*size]
			}
			return nil
		}
		for i := range dst {
			dst[i] = s[i*size : (i+1)*size]
		}
		return nil
	}
	b, offs := data.ByteArray()
	if len(offs) < k+1 {
		return errShortPage(len(offs)-1, k)
	}
	s := string(b)
	if d.sel != nil {
		for i, r := range rows {
			r -= base
			dst[i] = s[offs[r]:offs[r+1]]
		}
		return nil
	}
	for i := range dst {
		dst[i] = s[offs[i]:offs[i+1]]
	}
	return nil
}

// useDict makes dict the chunk's dictionary, decoding its strings once;
// false when it does not hold byte arrays.
func (d *chunkDecoder) useDict(dict parquet.Dictionary) bool {
	if dict == d.src {
		return true
	}
	data := dict.Page().Data()
	if data.Kind() != encoding.ByteArray {
		return false
	}
	b, offs := data.ByteArray()
	n := dict.Len()
	if len(offs) < n+1 {
		return false
	}
	if d.src != nil {
		d.fillStr()
		d.noDict = true // a second dictionary: the codes would mix the two
	}
	s := string(b)
	strs := make([]string, n)
	for i := range strs {
		strs[i] = s[offs[i]:offs[i+1]]
	}
	d.src, d.dict = dict, strs
	return true
}

// dictPage decodes a page of k dictionary codes (string rows).
func (d *chunkDecoder) dictPage(idx []int32, k int, defs []byte) error {
	if len(idx) < k {
		return errShortPage(len(idx), k)
	}
	idx = idx[:k]
	v := d.v
	if d.sel != nil {
		return d.dictRows(idx)
	}
	if d.codesOnly { // a required column: no nulls
		for _, c := range idx {
			if uint32(c) >= uint32(len(d.dict)) {
				return fmt.Errorf("dictionary index %d out of range [0:%d]", c, len(d.dict))
			}
		}
		d.codes = append(d.codes, idx...)
		d.rows += k
		return nil
	}
	d.fillStr()
	base := len(v.Str)
	v.Str = extend(v.Str, k)
	dst := v.Str[base:]
	dict := d.dict
	for i, c := range idx {
		if uint32(c) >= uint32(len(dict)) {
			return fmt.Errorf("dictionary index %d out of range [0:%d]", c, len(dict))
		}
		dst[i] = dict[c]
	}
	if k < len(defs) {
		d.noDict = true // null rows are "", which the dictionary may lack
		v.Str = spread(v.Str, base, defs, d.maxDef)
		return nil
	}
	if !d.noDict {
		if d.codes == nil {
			d.codes = make([]int32, 0, cap(v.Str))
		}
		if len(d.codes) == base {
			d.codes = append(d.codes, idx...)
		} else {
			d.noDict = true
		}
	}
	return nil
}

// dictRows decodes the selected rows of a page of dictionary codes (of
// a required string column).
func (d *chunkDecoder) dictRows(idx []int32) error {
	v, dict := d.v, d.dict
	for _, c := range idx {
		if uint32(c) >= uint32(len(dict)) {
			return fmt.Errorf("dictionary index %d out of range [0:%d]", c, len(dict))
		}
	}
	rows, base := d.pageRows(len(idx))
	start := len(v.Str)
	v.Str = extend(v.Str, len(rows))
	dst := v.Str[start:]
	for i, r := range rows {
		dst[i] = dict[idx[r-base]]
	}
	if !d.noDict {
		if d.codes == nil {
			d.codes = make([]int32, 0, cap(v.Str))
		}
		if len(d.codes) != start {
			d.noDict = true
			return nil
		}
		d.codes = extend(d.codes, len(rows))
		codes := d.codes[start:]
		for i, r := range rows {
			codes[i] = idx[r-base]
		}
	}
	return nil
}

// pagesByValue counts the pages decoded value by value, for tests.
var pagesByValue atomic.Int64

// valuesPage decodes a page value by value.
func (d *chunkDecoder) valuesPage(page parquet.Page) error {
	pagesByValue.Add(1)
	d.fillStr()
	d.noDict = true
	buf := make([]parquet.Value, 1024)
	vr := page.Values()
	for {
		k, err := vr.ReadValues(buf)
		for _, x := range buf[:k] {
			if d.sel != nil {
				// A required column: each value is a row.
				r := d.rows
				d.rows++
				if d.si == len(d.sel) || d.sel[d.si] != r {
					continue
				}
				d.si++
			}
			if err := appendValue(d.v, x); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func errShortPage(got, want int) error {
	return fmt.Errorf("page holds %d values, expected %d", got, want)
}

package types

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Bag is a Kusto property bag: a JSON object whose keys keep the order in
// which they were first set.
type Bag struct {
	keys []string
	vals map[string]any
}

// NewBag returns an empty property bag.
func NewBag() *Bag { return &Bag{vals: map[string]any{}} }

// Set sets key to v, appending key if it is new.
func (b *Bag) Set(key string, v any) {
	if _, ok := b.vals[key]; !ok {
		b.keys = append(b.keys, key)
	}
	b.vals[key] = v
}

// Get returns the value of key and whether it is present.
func (b *Bag) Get(key string) (any, bool) {
	if b == nil {
		return nil, false
	}
	v, ok := b.vals[key]
	return v, ok
}

// Keys returns the keys in insertion order. The slice must not be modified.
func (b *Bag) Keys() []string {
	if b == nil {
		return nil
	}
	return b.keys
}

// Len returns the number of keys.
func (b *Bag) Len() int {
	if b == nil {
		return 0
	}
	return len(b.keys)
}

// Delete removes key if present.
func (b *Bag) Delete(key string) {
	if _, ok := b.vals[key]; !ok {
		return
	}
	delete(b.vals, key)
	for i, k := range b.keys {
		if k == key {
			b.keys = append(b.keys[:i:i], b.keys[i+1:]...)
			break
		}
	}
}

// ParseJSON parses JSON text into a dynamic value: objects become *Bag,
// arrays []any, integers int64 (real when they do not fit), other numbers
// float64. It fails on text that is not exactly one JSON value.
func ParseJSON(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	v, err := decodeJSON(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after JSON value")
	}
	return v, nil
}

// FromJSON converts a value decoded by encoding/json with UseNumber (maps,
// slices, json.Number) into a dynamic value. Map keys are sorted, since Go
// maps have lost the original order; decode with ParseJSON to keep it.
func FromJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		b := NewBag()
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sortStrings(keys)
		for _, k := range keys {
			b.Set(k, FromJSON(x[k]))
		}
		return b
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = FromJSON(e)
		}
		return out
	case json.Number:
		return numberValue(x)
	default:
		return v
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func decodeJSON(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			b := NewBag()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				v, err := decodeJSON(dec)
				if err != nil {
					return nil, err
				}
				b.Set(key, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return b, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeJSON(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		return numberValue(t), nil
	default:
		return t, nil // nil, bool, string
	}
}

func numberValue(n json.Number) any {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i
	}
	f, _ := strconv.ParseFloat(string(n), 64)
	return f
}

// FormatDynamic renders a dynamic value as Kusto prints it: compact JSON
// with datetimes, timespans and guids as strings. A null prints as "".
func FormatDynamic(v any) string {
	if v == nil {
		return ""
	}
	var b bytes.Buffer
	writeJSON(&b, v)
	return b.String()
}

// AppendJSON appends the JSON encoding of a dynamic value (null for nil).
func AppendJSON(dst []byte, v any) []byte {
	var b bytes.Buffer
	writeJSON(&b, v)
	return append(dst, b.Bytes()...)
}

func writeJSON(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int32:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		b.WriteString(FormatReal(x))
	case string:
		writeJSONString(b, x)
	case Date:
		writeJSONString(b, x.String())
	case Duration:
		writeJSONString(b, x.String())
	case uuid.UUID:
		writeJSONString(b, x.String())
	case decimal.Decimal:
		b.WriteString(x.String())
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case *Bag:
		b.WriteByte('{')
		for i, k := range x.Keys() {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k)
			b.WriteByte(':')
			writeJSON(b, x.vals[k])
		}
		b.WriteByte('}')
	default:
		writeJSONString(b, fmt.Sprint(x))
	}
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	// encoding/json escapes <, > and & for HTML; Kusto does not.
	enc = bytes.ReplaceAll(enc, []byte(`\u003c`), []byte("<"))
	enc = bytes.ReplaceAll(enc, []byte(`\u003e`), []byte(">"))
	enc = bytes.ReplaceAll(enc, []byte(`\u0026`), []byte("&"))
	b.Write(enc)
}

// FormatReal formats a real the way Kusto (.NET) prints it: the shortest
// digits that round-trip, in fixed notation for decimal exponents from -4
// to 14 and in scientific notation otherwise (1E+15, 2.5E-06); NaN,
// Infinity and -Infinity for the special values.
func FormatReal(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	sci := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	i := strings.LastIndexByte(sci, 'e')
	exp, _ := strconv.Atoi(sci[i+1:])
	if exp >= -4 && exp < 15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	sign := "+"
	if exp < 0 {
		sign, exp = "-", -exp
	}
	return fmt.Sprintf("%sE%s%02d", sci[:i], sign, exp)
}

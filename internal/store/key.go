package store

import (
	"encoding/binary"
	"hash/fnv"
	"math"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// recordKey returns the 128-bit FNV-1a hash identifying row i of b: of its
// key columns (keyIdx) when they are all set, else of the whole record.
// Each value is hashed with its column's name, and null and empty values
// are left out, so a column added to the table later (null in old rows)
// does not change the keys of rows stored before.
func recordKey(b *column.Batch, i int, keyIdx []int) [16]byte {
	h := fnv.New128a()
	var buf []byte
	whole := len(keyIdx) == 0
	for _, j := range keyIdx {
		if j < 0 || isEmpty(b.Cols[j], i) {
			whole = true
			break
		}
	}
	add := func(j int) {
		v := b.Cols[j]
		if isEmpty(v, i) {
			return
		}
		buf = appendKeyValue(buf[:0], b.Cols[j], i)
		var n [4]byte
		binary.LittleEndian.PutUint32(n[:], uint32(j))
		h.Write(n[:])
		h.Write(buf)
	}
	if whole {
		h.Write([]byte{1})
		for j := range b.Cols {
			add(j)
		}
	} else {
		h.Write([]byte{0})
		for _, j := range keyIdx {
			add(j)
		}
	}
	var out [16]byte
	h.Sum(out[:0])
	return out
}

func isEmpty(v *column.Vector, i int) bool {
	if v.Type == types.String {
		return v.Str[i] == ""
	}
	return v.IsNull(i)
}

// appendKeyValue appends a length-prefixed encoding of row i of v.
func appendKeyValue(b []byte, v *column.Vector, i int) []byte {
	b = append(b, byte(v.Type))
	var body []byte
	switch v.Type {
	case types.Bool:
		if v.Bool[i] {
			body = []byte{1}
		} else {
			body = []byte{0}
		}
	case types.Int, types.Long, types.Datetime, types.Timespan:
		body = binary.LittleEndian.AppendUint64(nil, uint64(v.Int[i]))
	case types.Real:
		body = binary.LittleEndian.AppendUint64(nil, math.Float64bits(v.Real[i]))
	case types.String:
		body = []byte(v.Str[i])
	case types.Guid:
		u := v.Any[i].(uuid.UUID)
		body = u[:]
	case types.Decimal:
		body = []byte(v.Any[i].(decimal.Decimal).String())
	default:
		body = appendDynamic(nil, v.Any[i])
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(body)))
	return append(b, body...)
}

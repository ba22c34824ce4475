package functions

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/bits"

	"github.com/google/uuid"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the hash functions. hash() and hash_xxhash64() are
// XXH64 (seed 0) over the value's bytes: UTF-8 for strings, the 8
// little-endian bytes of the ticks for datetimes and timespans, of the value
// for long and real (int widened to long). The cryptographic hashes digest
// the tostring() text and return lowercase hex.

func init() {
	h := scalar("hash", evalHash, "NotDynamic, Integer? -> long")
	alias("hash_xxhash64", h)
	crypto := func(name string, f func([]byte) []byte) {
		scalar(name, func(_ *Context, a []any) any {
			if a[0] == nil {
				return nil
			}
			return hex.EncodeToString(f([]byte(str(a[0]))))
		}, "NotDynamic -> string")
	}
	crypto("hash_sha256", func(b []byte) []byte { s := sha256.Sum256(b); return s[:] })
	crypto("hash_sha1", func(b []byte) []byte { s := sha1.Sum(b); return s[:] })
	crypto("hash_md5", func(b []byte) []byte { s := md5.Sum(b); return s[:] })
	// hash_combine takes two or more hashes (its page: h1, h2 [, h3 ...];
	// Kusto.Language: "expects between 2 and 32767 arguments").
	// TODO: Kusto's combination is undocumented and differs from this one:
	// the docs combine hash("Hello") and hash("World") into
	// -1440138333540407281, which combineHash does not reproduce.
	combine := scalar("hash_combine", func(_ *Context, a []any) any {
		var acc uint64
		for i, v := range a {
			x, ok := intValue(v)
			if !ok {
				return nil
			}
			if i == 0 {
				acc = uint64(x)
				continue
			}
			acc = combineHash(acc, uint64(x))
		}
		return int64(acc)
	}, "Scalar* -> long")
	combine.MinArgs = 2
	scalar("hash_many", func(_ *Context, a []any) any {
		var acc uint64
		for i, v := range a {
			hv := xxh64(hashBytes(v))
			if i == 0 {
				acc = hv
			} else {
				acc = combineHash(acc, hv)
			}
		}
		return int64(acc)
	}, "NotDynamic* -> long")
}

func combineHash(acc, x uint64) uint64 {
	return (acc ^ x) * 0x100000001b3
}

// hashBytes returns the bytes hash() digests for v.
func hashBytes(v any) []byte {
	var buf [8]byte
	put := func(x uint64) []byte {
		binary.LittleEndian.PutUint64(buf[:], x)
		return buf[:]
	}
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return []byte(x)
	case int32:
		return put(uint64(int64(x)))
	case int64:
		return put(uint64(x))
	case float64:
		return put(floatBits(x))
	case types.Date:
		return put(uint64(x))
	case types.Duration:
		return put(uint64(x))
	case bool:
		if x {
			return []byte{1}
		}
		return []byte{0}
	case uuid.UUID:
		return x[:]
	}
	return []byte(str(v))
}

func evalHash(_ *Context, a []any) any {
	if a[0] == nil {
		return nil
	}
	h := int64(xxh64(hashBytes(a[0])))
	if len(a) > 1 && a[1] != nil {
		m, ok := asLong(a[1])
		if !ok || m <= 0 {
			return nil
		}
		r := h % m
		if r < 0 {
			r += m
		}
		return r
	}
	return h
}

const (
	prime1 uint64 = 11400714785074694791
	prime2 uint64 = 14029467366897019727
	prime3 uint64 = 1609587929392839161
	prime4 uint64 = 9650029242287828579
	prime5 uint64 = 2870177450012600261
)

func xxRound(acc, in uint64) uint64 {
	acc += in * prime2
	acc = bits.RotateLeft64(acc, 31)
	return acc * prime1
}

func xxMerge(acc, v uint64) uint64 {
	acc ^= xxRound(0, v)
	return acc*prime1 + prime4
}

// xxh64 is the XXH64 hash with seed 0.
func xxh64(b []byte) uint64 {
	n := len(b)
	var h uint64
	if n >= 32 {
		p1, p2 := prime1, prime2
		v1 := p1 + p2
		v2 := p2
		v3 := uint64(0)
		v4 := -p1
		for len(b) >= 32 {
			v1 = xxRound(v1, binary.LittleEndian.Uint64(b[0:]))
			v2 = xxRound(v2, binary.LittleEndian.Uint64(b[8:]))
			v3 = xxRound(v3, binary.LittleEndian.Uint64(b[16:]))
			v4 = xxRound(v4, binary.LittleEndian.Uint64(b[24:]))
			b = b[32:]
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) +
			bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = xxMerge(h, v1)
		h = xxMerge(h, v2)
		h = xxMerge(h, v3)
		h = xxMerge(h, v4)
	} else {
		h = prime5
	}
	h += uint64(n)
	for len(b) >= 8 {
		h ^= xxRound(0, binary.LittleEndian.Uint64(b))
		h = bits.RotateLeft64(h, 27)*prime1 + prime4
		b = b[8:]
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b)) * prime1
		h = bits.RotateLeft64(h, 23)*prime2 + prime3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * prime5
		h = bits.RotateLeft64(h, 11) * prime1
	}
	h ^= h >> 33
	h *= prime2
	h ^= h >> 29
	h *= prime3
	h ^= h >> 32
	return h
}

func floatBits(f float64) uint64 { return math.Float64bits(f) }

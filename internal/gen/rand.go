package gen

import (
	"math/bits"
	"strconv"
)

// rng is a splitmix64 generator. It is written out here rather than taken
// from math/rand so that the generated data, and the committed examples
// checked against it, stay byte-identical across Go releases.
type rng struct{ s uint64 }

// newRNG returns a generator for one named stream of a seed: streams with
// different names are independent, so adding a table or a column to one
// stream does not disturb the others.
func newRNG(seed int64, stream string, n int) *rng {
	h := uint64(1469598103934665603) // FNV-1a over the stream name
	for i := 0; i < len(stream); i++ {
		h ^= uint64(stream[i])
		h *= 1099511628211
	}
	r := &rng{s: uint64(seed) ^ h ^ uint64(n)*0x9e3779b97f4a7c15}
	r.next()
	return r
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a value in [0, n); n must be positive.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// int64n returns a value in [0, n); n must be positive.
func (r *rng) int64n(n int64) int64 {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int64(hi)
}

// between returns a value in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance returns true with probability per/1000.
func (r *rng) chance(per int) bool { return r.intn(1000) < per }

// pick returns a random element of s.
func pick[T any](r *rng, s []T) T { return s[r.intn(len(s))] }

// weighted picks an index with probability proportional to its weight.
type weighted struct {
	cum   []int
	total int
}

func newWeighted(w ...int) weighted {
	var c weighted
	for _, x := range w {
		c.total += x
		c.cum = append(c.cum, c.total)
	}
	return c
}

func (w weighted) pick(r *rng) int {
	x := r.intn(w.total)
	for i, c := range w.cum {
		if x < c {
			return i
		}
	}
	return len(w.cum) - 1
}

const hexDigits = "0123456789abcdef"

// hex returns n random lowercase hex digits.
func (r *rng) hex(n int) string {
	b := make([]byte, n)
	var x uint64
	for i := range b {
		if i%16 == 0 {
			x = r.next()
		}
		b[i] = hexDigits[x&15]
		x >>= 4
	}
	return string(b)
}

// guid returns a random version-4 GUID in Kusto's lowercase text form.
func (r *rng) guid() string {
	h := []byte(r.hex(32))
	h[12] = '4'
	h[16] = "89ab"[r.intn(4)]
	s := string(h)
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// appendIP appends the dotted IPv4 address a.b.c.d.
func appendIP(dst []byte, a, b, c, d int) []byte {
	dst = strconv.AppendInt(dst, int64(a), 10)
	dst = append(dst, '.')
	dst = strconv.AppendInt(dst, int64(b), 10)
	dst = append(dst, '.')
	dst = strconv.AppendInt(dst, int64(c), 10)
	dst = append(dst, '.')
	return strconv.AppendInt(dst, int64(d), 10)
}

func ipString(a, b, c, d int) string { return string(appendIP(nil, a, b, c, d)) }

package source

import (
	"bytes"

	"github.com/huntql/huntql/internal/column"
)

// The fast path for rows of a chunk. A chunk (see forChunks) lies whole in
// memory, so a row object can be scanned with plain indexes into it, no
// refill to watch for. Rows of one export list the same keys in the same
// order: so each key is first matched against the bytes of the key the
// last row had at its position, and only a miss looks it up.
//
// A row the fast path cannot take (a key with escapes, a syntax error, a
// value of the wrong type) is undone and read again by the general path,
// which reports any error; a chunk with an error is then read again
// sequentially anyway (see readJSONChunked).

// fastKey is the key the last row of a chunk had at one member position.
type fastKey struct {
	ks, vs int // the key's start (after its quote) and its value's start, in the chunk
	slot   int // output column, -1 for a key not read
}

// touchAhead is how far ahead of the row being scanned the fast path
// touches the chunk, a byte in each cache line once: the loads, which
// nothing waits on, bring the lines in while the row is scanned, where
// the scan would otherwise stall on each line in turn (a pure Go prefetch;
// measured best at 1 KB, about a row of an export, and 16% less CPU).
const touchAhead = 1024

// fastBailLimit is how many rows of a chunk the fast path may give up on
// before the chunk is left to the general path.
const fastBailLimit = 64

// fastRow reads the row object at l.pos ('{') with the fast path and
// reports whether it did; when not, the row's effects are undone and the
// lexer is back at the '{'. l must be a bytes lexer (newBytesLexer).
func (s *sink) fastRow(l *lexer) (bool, error) {
	start, line := l.pos, l.line
	s.beginRow()
	s.fresh = s.fresh[:0]
	if len(l.buf) > 0 && &l.buf[0] != s.fastBuf {
		s.fastBuf, s.fast = &l.buf[0], s.fast[:0] // the indexes are into another chunk
		s.tnext = 0
	}
	if s.scanRow(l) {
		return true, s.endRow()
	}
	for i, st := range s.seen { // undo
		if st == s.stamp {
			popLast(s.b.Cols[i])
		}
	}
	for _, i := range s.fresh {
		s.b.Cols[i].Nulls = nil
	}
	s.stamp++ // the general path's beginRow must not see this row's marks
	l.pos, l.line = start, line
	s.bails++
	return false, nil
}

// skipSpace returns the index of the first byte at or after p in buf that
// is not JSON whitespace, counting newlines into l.line.
func skipSpace(l *lexer, buf []byte, p int) int {
	for p < len(buf) {
		switch buf[p] {
		case ' ', '\t', '\r':
		case '\n':
			l.line++
		default:
			return p
		}
		p++
	}
	return p
}

// scanRow is fastRow's scan; false means give up.
func (s *sink) scanRow(l *lexer) bool {
	buf := l.buf[:l.end]
	p := l.pos + 1
	if s.tnext < p {
		s.tnext = p
	}
	for end := min(p+touchAhead, len(buf)); s.tnext < end; s.tnext += 64 {
		s.touch += buf[s.tnext]
	}
	if p < len(buf) && buf[p] <= ' ' {
		p = skipSpace(l, buf, p)
	}
	if p < len(buf) && buf[p] == '}' {
		l.pos = p + 1
		return true
	}
	for j := 0; ; j++ {
		if p >= len(buf) || buf[p] != '"' {
			return false
		}
		p++
		ks, vs, slot := p, 0, -1
		if j < len(s.fast) {
			fk := &s.fast[j]
			if n := fk.vs - fk.ks; len(buf)-p >= n && bytes.Equal(buf[p:p+n], buf[fk.ks:fk.vs]) {
				vs, slot = p+n, fk.slot // the key the last row had here
			}
		}
		if vs == 0 { // another key
			q := p + plainRun(buf[p:])
			if q >= len(buf) || buf[q] != '"' {
				return false // a key with escapes, or no key
			}
			var ok bool
			if slot, ok = s.slots[string(buf[p:q])]; !ok {
				slot = -1
			}
			if q++; q < len(buf) && buf[q] <= ' ' {
				q = skipSpace(l, buf, q)
			}
			if q >= len(buf) || buf[q] != ':' {
				return false
			}
			vs = q + 1
			k := fastKey{ks: ks, vs: vs, slot: slot}
			if j < len(s.fast) {
				s.fast[j] = k
			} else if j == len(s.fast) && j < maxOrder {
				s.fast = append(s.fast, k)
			}
		} else {
			s.fast[j].ks, s.fast[j].vs = ks, vs
		}
		p = vs
		if p < len(buf) && buf[p] <= ' ' {
			p = skipSpace(l, buf, p)
		}
		if p >= len(buf) {
			return false
		}
		if slot < 0 {
			p = skipValue(l, buf, p)
		} else {
			p = s.appendValue(l, buf, p, slot)
		}
		if p < 0 {
			return false
		}
		if p < len(buf) && buf[p] <= ' ' {
			p = skipSpace(l, buf, p)
		}
		if p >= len(buf) {
			return false
		}
		switch buf[p] {
		case ',':
			p++
			if p < len(buf) && buf[p] <= ' ' {
				p = skipSpace(l, buf, p)
			}
		case '}':
			l.pos = p + 1
			return true
		default:
			return false
		}
	}
}

// skipValue skips the value at buf[p], returning the index after it, or -1
// when it is not well formed.
func skipValue(l *lexer, buf []byte, p int) int {
	switch c := buf[p]; c {
	case '"':
		q := p + 1 + plainRun(buf[p+1:])
		if q < len(buf) && buf[q] == '"' {
			return q + 1
		}
		l.pos = p
		if l.skipString() != nil {
			return -1
		}
		return l.pos
	case 'n':
		return literalEnd(buf, p, "null")
	case 't':
		return literalEnd(buf, p, "true")
	case 'f':
		return literalEnd(buf, p, "false")
	case '{', '[':
		l.pos = p
		if l.skip(0) != nil {
			return -1
		}
		return l.pos
	}
	q := numberEnd(buf, p)
	if q < 0 {
		return -1
	}
	return q
}

// literalEnd returns the index after word at buf[p], or -1.
func literalEnd(buf []byte, p int, word string) int {
	if len(buf)-p >= len(word) && string(buf[p:p+len(word)]) == word {
		return p + len(word)
	}
	return -1
}

// numberEnd returns the index after the JSON number at buf[p], or -1.
func numberEnd(buf []byte, p int) int {
	q := p
	if q < len(buf) && buf[q] == '-' {
		q++
	}
	if q < len(buf) && buf[q] >= '1' && buf[q] <= '9' { // an integer, most likely
		q++
		for q < len(buf) && buf[q] >= '0' && buf[q] <= '9' {
			q++
		}
		if q >= len(buf) || !isNumByte(buf[q]) {
			return q
		}
	}
	q = p
	for q < len(buf) && isNumByte(buf[q]) {
		q++
	}
	if !validNumber(buf[p:q]) {
		return -1
	}
	return q
}

// appendValue converts the value at buf[p] into output column slot and
// returns the index after it, or -1 when it does not convert or is not
// well formed.
func (s *sink) appendValue(l *lexer, buf []byte, p, slot int) int {
	hadNulls := s.b.Cols[slot].Nulls != nil || s.seen[slot] == s.stamp
	v := s.vector(slot)
	n := v.Len()
	q := s.convert(l, buf, p, v)
	if v.Len() == n {
		s.seen[slot] = 0 // nothing appended: nothing to undo
	}
	if !hadNulls && s.b.Cols[slot].Nulls != nil {
		s.fresh = append(s.fresh, slot) // to drop if the row is undone
	}
	return q
}

// convert is appendValue's conversion into v.
func (s *sink) convert(l *lexer, buf []byte, p int, v *column.Vector) int {
	switch c := buf[p]; {
	case c == '"':
		q := p + 1 + plainRun(buf[p+1:])
		if q < len(buf) && buf[q] == '"' {
			if appendScalar(v, kString, buf[p+1:q], false) != nil {
				return -1
			}
			return q + 1
		}
	case c == 'n':
		q := literalEnd(buf, p, "null")
		if q > 0 {
			v.AppendNull()
		}
		return q
	case c == '-' || c >= '0' && c <= '9':
		q := numberEnd(buf, p)
		if q < 0 || appendScalar(v, kNumber, buf[p:q], false) != nil {
			return -1
		}
		return q
	}
	l.pos = p
	if appendJSON(l, v) != nil {
		return -1
	}
	return l.pos
}

package source

import (
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/huntql/huntql/internal/types"
)

// maxDepth bounds the nesting of JSON values, so hostile input cannot
// exhaust the stack.
const maxDepth = 512

// lexBufSize is the initial read buffer; it grows to hold a longer token.
const lexBufSize = 64 * 1024

// lexer is a streaming JSON tokenizer. It reads into its own buffer and
// hands out byte slices into it, valid until the next lexer call, so
// scanning a row allocates only for the values that are kept.
type lexer struct {
	r    io.Reader
	buf  []byte
	pos  int  // next unread byte
	end  int  // buf[pos:end] is read but not consumed
	line int  // 1-based line of buf[pos]
	eof  bool // r is exhausted (or failed: see rerr)
	rerr error
	// scratch holds unescaped string contents; keyBuf an object key that
	// had to be copied out of buf.
	scratch []byte
	keyBuf  []byte
}

// newLexer returns a lexer reading r from line 1, skipping a UTF-8 BOM.
func newLexer(r io.Reader) *lexer {
	l := &lexer{r: r, buf: make([]byte, lexBufSize), line: 1}
	for l.end < 3 && l.fill() {
	}
	if l.end >= 3 && l.buf[0] == 0xef && l.buf[1] == 0xbb && l.buf[2] == 0xbf {
		l.pos = 3
	}
	return l
}

// newBytesLexer returns a lexer over b, which it does not modify.
func newBytesLexer(b []byte) *lexer {
	return &lexer{buf: b, end: len(b), line: 1, eof: true}
}

// fill reads more input, keeping buf[pos:end] (moved to the front). It
// reports whether any byte was added.
func (l *lexer) fill() bool {
	for !l.eof {
		if l.pos > 0 {
			copy(l.buf, l.buf[l.pos:l.end])
			l.end -= l.pos
			l.pos = 0
		}
		if l.end == len(l.buf) {
			grown := make([]byte, 2*len(l.buf))
			copy(grown, l.buf[:l.end])
			l.buf = grown
		}
		n, err := l.r.Read(l.buf[l.end:])
		l.end += n
		if err != nil {
			l.eof = true
			if err != io.EOF {
				l.rerr = err
			}
		}
		if n > 0 {
			return true
		}
	}
	return false
}

// lexError is a syntax error at a line; readers add the path.
type lexError struct {
	line int
	msg  string
	err  error // ErrMalformed, or the reader's I/O error
}

func (e *lexError) Error() string { return e.msg }

func (l *lexer) errorf(msg string) error {
	return &lexError{line: l.line, msg: msg, err: ErrMalformed}
}

// eofError reports input ending inside what.
func (l *lexer) eofError(what string) error {
	if l.rerr != nil {
		return l.readError()
	}
	return l.errorf("expected " + what + ", found end of input")
}

// readError wraps a failure of the underlying reader (such as a truncated
// gzip stream).
func (l *lexer) readError() error {
	return &lexError{line: l.line, msg: "reading input: " + l.rerr.Error(), err: readErrKind(l.rerr)}
}

// readErrKind classifies a read error: data damage is ErrMalformed, the rest
// (permissions, disk faults) stays as it is.
func readErrKind(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || isGzipError(err) {
		return ErrMalformed
	}
	return err
}

// skipWS skips whitespace and returns the next byte without consuming it;
// ok is false at the end of input.
func (l *lexer) skipWS() (c byte, ok bool) {
	for {
		for l.pos < l.end {
			c = l.buf[l.pos]
			switch c {
			case ' ', '\t', '\r':
				l.pos++
			case '\n':
				l.line++
				l.pos++
			default:
				return c, true
			}
		}
		if !l.fill() {
			return 0, false
		}
	}
}

// next skips whitespace and returns the next byte without consuming it,
// failing at the end of input with a message naming what was expected.
func (l *lexer) next(what string) (byte, error) {
	if l.pos < l.end && l.buf[l.pos] > ' ' { // no whitespace: the common case, inlined
		return l.buf[l.pos], nil
	}
	c, ok := l.skipWS()
	if !ok {
		return 0, l.eofError(what)
	}
	return c, nil
}

// expect consumes the byte c after optional whitespace.
func (l *lexer) expect(c byte, what string) error {
	got, err := l.next(what)
	if err != nil {
		return err
	}
	if got != c {
		return l.errorf("expected " + what + ", found " + describeByte(got))
	}
	l.pos++
	return nil
}

// readString consumes a string at buf[pos] == '"' and returns its
// unescaped contents, valid until the next lexer call.
func (l *lexer) readString() ([]byte, error) {
	l.pos++
	i := l.pos
	for {
		i += plainRun(l.buf[i:l.end])
		if i < l.end {
			switch l.buf[i] {
			case '"':
				s := l.buf[l.pos:i]
				l.pos = i + 1
				return s, nil
			case '\\':
				return l.readEscaped(i)
			default:
				l.pos = i
				return nil, l.errorf("expected string character, found control " +
					describeByte(l.buf[i]))
			}
		}
		off := i - l.pos
		if !l.fill() {
			return nil, l.eofError("closing quote")
		}
		i = l.pos + off
	}
}

// readEscaped continues readString from the first backslash at buf[i],
// building the contents in scratch.
func (l *lexer) readEscaped(i int) ([]byte, error) {
	out := append(l.scratch[:0], l.buf[l.pos:i]...)
	l.pos = i
	for {
		j := l.pos + plainRun(l.buf[l.pos:l.end])
		out = append(out, l.buf[l.pos:j]...)
		l.pos = j
		if l.pos >= l.end {
			if !l.fill() {
				return nil, l.eofError("closing quote")
			}
			continue
		}
		c := l.buf[l.pos]
		switch {
		case c == '"':
			l.pos++
			l.scratch = out
			return out, nil
		case c < 0x20:
			return nil, l.errorf("expected string character, found control " + describeByte(c))
		}
		// An escape: make sure the longest form, \uXXXX, is buffered.
		for l.end-l.pos < 6 && l.fill() {
		}
		if l.end-l.pos < 2 {
			return nil, l.eofError("escape sequence")
		}
		e := l.buf[l.pos+1]
		l.pos += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, err := l.hex4()
			if err != nil {
				return nil, err
			}
			if utf16.IsSurrogate(r) {
				r = l.lowSurrogate(r)
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, l.errorf("expected escape sequence, found \\" + string(rune(e)))
		}
	}
}

// skipString consumes a string at buf[pos] == '"', checking its escapes
// but building nothing.
func (l *lexer) skipString() error {
	l.pos++
	for {
		j := l.pos + plainRun(l.buf[l.pos:l.end])
		l.pos = j
		if l.pos >= l.end {
			if !l.fill() {
				return l.eofError("closing quote")
			}
			continue
		}
		switch c := l.buf[l.pos]; {
		case c == '"':
			l.pos++
			return nil
		case c < 0x20:
			return l.errorf("expected string character, found control " + describeByte(c))
		}
		for l.end-l.pos < 6 && l.fill() {
		}
		if l.end-l.pos < 2 {
			return l.eofError("escape sequence")
		}
		e := l.buf[l.pos+1]
		l.pos += 2
		switch e {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		case 'u':
			if _, err := l.hex4(); err != nil {
				return err
			}
		default:
			return l.errorf("expected escape sequence, found \\" + string(rune(e)))
		}
	}
}

// hex4 consumes four hex digits after \u.
func (l *lexer) hex4() (rune, error) {
	if l.end-l.pos < 4 {
		return 0, l.eofError("four hex digits")
	}
	var r rune
	for _, c := range l.buf[l.pos : l.pos+4] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, l.errorf("expected four hex digits after \\u, found " + describeByte(c))
		}
		r = r<<4 | rune(d)
	}
	l.pos += 4
	return r, nil
}

// lowSurrogate combines high surrogate hi with a following \uXXXX low
// surrogate, or returns U+FFFD for a lone surrogate, as encoding/json does.
func (l *lexer) lowSurrogate(hi rune) rune {
	for l.end-l.pos < 6 && l.fill() {
	}
	if l.end-l.pos >= 6 && l.buf[l.pos] == '\\' && l.buf[l.pos+1] == 'u' {
		save := l.pos
		l.pos += 2
		if lo, err := l.hex4(); err == nil {
			if r := utf16.DecodeRune(hi, lo); r != utf8.RuneError {
				return r
			}
		}
		l.pos = save
	}
	return utf8.RuneError
}

// readNumber consumes a JSON number and returns its text.
func (l *lexer) readNumber() ([]byte, error) {
	i := l.pos
	for {
		for i < l.end && isNumByte(l.buf[i]) {
			i++
		}
		if i < l.end || l.eof {
			break
		}
		off := i - l.pos
		if !l.fill() {
			i = l.pos + off
			break
		}
		i = l.pos + off
	}
	num := l.buf[l.pos:i]
	if !validNumber(num) {
		if len(num) == 0 {
			return nil, l.errorf("expected value, found " + describeByte(l.buf[l.pos]))
		}
		return nil, l.errorf("expected number, found " + quoteFound(string(num)))
	}
	l.pos = i
	return num, nil
}

func isNumByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// validNumber reports whether b matches JSON's number grammar.
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(b)
}

// literal consumes the keyword word (true, false or null).
func (l *lexer) literal(word string) error {
	for l.end-l.pos < len(word) && l.fill() {
	}
	if l.end-l.pos < len(word) || string(l.buf[l.pos:l.pos+len(word)]) != word {
		n := min(l.end-l.pos, len(word))
		return l.errorf("expected " + word + ", found " + quoteFound(string(l.buf[l.pos:l.pos+n])))
	}
	l.pos += len(word)
	return nil
}

// token kinds of a JSON value's first byte.
type kind uint8

const (
	kNull kind = iota
	kBool
	kNumber
	kString
	kObject
	kArray
)

// scalar consumes a scalar value and returns its kind and text (the
// unescaped contents of a string, the digits of a number, "true" or
// "false"). For an object or array it consumes nothing and returns kObject
// or kArray.
func (l *lexer) scalar() (kind, []byte, error) {
	c, err := l.next("value")
	if err != nil {
		return 0, nil, err
	}
	switch c {
	case '"':
		s, err := l.readString()
		return kString, s, err
	case '{':
		return kObject, nil, nil
	case '[':
		return kArray, nil, nil
	case 't':
		return kBool, trueText, l.literal("true")
	case 'f':
		return kBool, falseText, l.literal("false")
	case 'n':
		return kNull, nil, l.literal("null")
	}
	n, err := l.readNumber()
	return kNumber, n, err
}

var (
	trueText  = []byte("true")
	falseText = []byte("false")
)

// dynamic consumes any JSON value and returns it as a Kusto dynamic value:
// objects as *types.Bag in key order (a repeated key keeps its last value),
// arrays as []any, integers as int64 (float64 when out of range).
func (l *lexer) dynamic(depth int) (any, error) {
	if depth > maxDepth {
		return nil, l.errorf("expected at most 512 nested values, found more")
	}
	k, text, err := l.scalar()
	if err != nil {
		return nil, err
	}
	switch k {
	case kNull:
		return nil, nil
	case kBool:
		return text[0] == 't', nil
	case kNumber:
		return numberValue(text), nil
	case kString:
		return string(text), nil
	case kObject:
		bag := types.NewBag()
		err := l.members(func(key []byte) error {
			name := string(key)
			v, err := l.dynamic(depth + 1)
			bag.Set(name, v)
			return err
		})
		return bag, err
	}
	arr := []any{}
	err = l.elements(func() error {
		v, err := l.dynamic(depth + 1)
		arr = append(arr, v)
		return err
	})
	return arr, err
}

// skip consumes any JSON value, checking its syntax.
func (l *lexer) skip(depth int) error {
	if depth > maxDepth {
		return l.errorf("expected at most 512 nested values, found more")
	}
	if l.pos < l.end && l.buf[l.pos] == '"' {
		return l.skipString()
	}
	if c, ok := l.skipWS(); ok && c == '"' {
		return l.skipString()
	}
	k, _, err := l.scalar()
	if err != nil {
		return err
	}
	switch k {
	case kObject:
		return l.members(func([]byte) error { return l.skip(depth + 1) })
	case kArray:
		return l.elements(func() error { return l.skip(depth + 1) })
	}
	return nil
}

// members consumes an object at '{', calling fn with each key (valid only
// until fn's first lexer call) with the lexer at the member's value.
func (l *lexer) members(fn func(key []byte) error) error {
	return l.membersGuess(nil, fn)
}

// membersGuess is members for objects whose keys are likely known:
// guess(j), if guess is not nil, returns the key expected at position j
// of the object, or "" for none. A guessed key must hold no quote,
// backslash or control byte, so that a key whose bytes match it is that
// key and is taken without scanning.
func (l *lexer) membersGuess(guess func(j int) string, fn func(key []byte) error) error {
	l.pos++ // '{'
	c, err := l.next("object key or '}'")
	if err != nil {
		return err
	}
	if c == '}' {
		l.pos++
		return nil
	}
	for j := 0; ; j++ {
		if c != '"' {
			return l.errorf("expected object key, found " + describeByte(c))
		}
		var key []byte
		if g := guessString(guess, j); g != "" && l.end-l.pos > len(g)+1 &&
			l.buf[l.pos+1+len(g)] == '"' && string(l.buf[l.pos+1:l.pos+1+len(g)]) == g {
			key = l.buf[l.pos+1 : l.pos+1+len(g)]
			l.pos += len(g) + 2
		} else if key, err = l.readString(); err != nil {
			return err
		}
		if l.pos < l.end && l.buf[l.pos] == ':' {
			l.pos++
		} else {
			// The key must outlive a refill of the buffer.
			key = append(l.keyBuf[:0], key...)
			l.keyBuf = key
			if err := l.expect(':', "':' after object key"); err != nil {
				return err
			}
		}
		if err := fn(key); err != nil {
			return err
		}
		if c, err = l.next("',' or '}'"); err != nil {
			return err
		}
		l.pos++
		switch c {
		case '}':
			return nil
		case ',':
		default:
			l.pos--
			return l.errorf("expected ',' or '}' in object, found " + describeByte(c))
		}
		if c, err = l.next("object key"); err != nil {
			return err
		}
	}
}

// guessString returns guess(j), or "" when guess is nil.
func guessString(guess func(j int) string, j int) string {
	if guess == nil {
		return ""
	}
	return guess(j)
}

// elements consumes an array at '[', calling fn with the lexer at each element.
func (l *lexer) elements(fn func() error) error {
	l.pos++ // '['
	c, err := l.next("array element or ']'")
	if err != nil {
		return err
	}
	if c == ']' {
		l.pos++
		return nil
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		if c, err = l.next("',' or ']'"); err != nil {
			return err
		}
		l.pos++
		switch c {
		case ']':
			return nil
		case ',':
		default:
			l.pos--
			return l.errorf("expected ',' or ']' in array, found " + describeByte(c))
		}
	}
}

// numberValue converts JSON number text to int64, or float64 when it is
// not an integer in range, as types.ParseJSON does.
func numberValue(text []byte) any {
	if i, err := strconv.ParseInt(string(text), 10, 64); err == nil {
		return i
	}
	f, _ := strconv.ParseFloat(string(text), 64)
	return f
}

// plainRun returns the length of the run of bytes at the start of b that
// need no attention inside a string: no quote, backslash or control byte.
// It looks at eight bytes at a time, finding the first byte that is a
// quote, a backslash or below 0x20 with the zero-byte test on words (a
// false hit can only follow a true one, so the lowest is right); strings
// make up most of an export, and most are short.
func plainRun(b []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q := x ^ ('"' * ones)
		e := x ^ ('\\' * ones)
		m := ((q - ones) &^ q) | ((e - ones) &^ e) | ((x - 0x20*ones) &^ x)
		if m &= highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return len(b)
}

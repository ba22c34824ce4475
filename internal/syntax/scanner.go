package syntax

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/huntql/huntql/internal/types"
)

// Scanner splits a query text into tokens. Comments and white space are
// skipped; problems are collected in Errors and the offending text comes
// back as an Illegal token, so scanning always reaches the end.
type Scanner struct {
	src    string
	off    int // offset of the next unread byte
	Errors ErrorList
}

// NewScanner returns a scanner over src's text.
func NewScanner(src *Source) *Scanner {
	return &Scanner{src: src.Text}
}

// Scan returns every token of src up to and including the EOF token, and
// the lexical errors found.
func Scan(src *Source) ([]Token, ErrorList) {
	s := NewScanner(src)
	var toks []Token
	for {
		t := s.Next()
		toks = append(toks, t)
		if t.Kind == TokEOF {
			return toks, s.Errors
		}
	}
}

func (s *Scanner) errorf(start, end int, format string, args ...any) {
	s.Errors.Add(Span{Pos(start), Pos(end)}, format, args...)
}

// skipSpace skips white space and // comments.
func (s *Scanner) skipSpace() {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			s.off++
		case c == '/' && s.off+1 < len(s.src) && s.src[s.off+1] == '/':
			for s.off < len(s.src) && s.src[s.off] != '\n' {
				s.off++
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s.src[s.off:])
			if !unicode.IsSpace(r) && !isInvisible(r) {
				return
			}
			s.off += n
		default:
			return
		}
	}
}

// isInvisible reports zero-width characters that pasted queries often
// carry and that Kusto skips like white space.
func isInvisible(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\uFEFF':
		return true
	}
	return false
}

func (s *Scanner) peekByte(i int) byte {
	if s.off+i < len(s.src) {
		return s.src[s.off+i]
	}
	return 0
}

func isIdentStart(r rune) bool {
	return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
		r >= utf8.RuneSelf && unicode.IsLetter(r)
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || r >= '0' && r <= '9' ||
		r >= utf8.RuneSelf && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Next returns the next token; at the end of the text it returns EOF forever.
func (s *Scanner) Next() Token {
	t := s.next()
	if t.Kind == TokString && !utf8.ValidString(t.Text) {
		s.errorf(int(t.Pos), int(t.End), "expected a string of valid utf-8, found invalid bytes")
		t.Kind = TokIllegal
	}
	return t
}

func (s *Scanner) next() Token {
	s.skipSpace()
	start := s.off
	if s.off >= len(s.src) {
		return Token{Kind: TokEOF, Pos: Pos(start), End: Pos(start)}
	}
	c := s.src[s.off]
	switch {
	case c == '\'' || c == '"':
		return s.scanString(start, start)
	case c == '`' && strings.HasPrefix(s.src[s.off:], "```"),
		c == '~' && strings.HasPrefix(s.src[s.off:], "~~~"):
		return s.scanMultiline(start, start)
	case c == '@' && (s.peekByte(1) == '\'' || s.peekByte(1) == '"'):
		s.off++
		return s.scanVerbatim(start)
	case isDigit(c):
		return s.scanNumber(start)
	case c == '$' && isIdentStart(rune(s.peekByte(1))):
		s.off++
		return s.scanIdent(start)
	}
	r, n := utf8.DecodeRuneInString(s.src[s.off:])
	if isIdentStart(r) {
		if (c == 'h' || c == 'H') && start+1 < len(s.src) {
			switch next := s.src[start+1]; {
			case next == '\'' || next == '"':
				s.off++
				t := s.scanString(start, start+1)
				t.Obfuscated = true
				return t
			case next == '@' && (s.peekByte(2) == '\'' || s.peekByte(2) == '"'):
				s.off += 2
				t := s.scanVerbatim(start)
				t.Obfuscated = true
				return t
			case next == '`' && strings.HasPrefix(s.src[start+1:], "```"):
				s.off++
				t := s.scanMultiline(start, start+1)
				t.Obfuscated = true
				return t
			}
		}
		return s.scanIdent(start)
	}
	if r == utf8.RuneError && n <= 1 {
		s.off++
		s.errorf(start, s.off, "invalid utf-8 encoding")
		return s.tok(TokIllegal, start)
	}
	for _, op := range multiOps {
		if strings.HasPrefix(s.src[s.off:], op) {
			s.off += len(op)
			return s.tok(TokOp, start)
		}
	}
	if strings.ContainsRune("()[]{},;:.|=<>+-*/%!~?@#&^", r) {
		s.off++
		return s.tok(TokOp, start)
	}
	s.off += n
	s.errorf(start, s.off, "unexpected character %q", r)
	return s.tok(TokIllegal, start)
}

func (s *Scanner) tok(k Kind, start int) Token {
	return Token{Kind: k, Pos: Pos(start), End: Pos(s.off), Text: s.src[start:s.off]}
}

// scanIdent scans a name; s.off may already be past a leading '$'. A type
// word directly followed by '(' becomes a TypedLit with raw contents.
func (s *Scanner) scanIdent(start int) Token {
	for s.off < len(s.src) {
		r, n := utf8.DecodeRuneInString(s.src[s.off:])
		if !isIdentPart(r) {
			break
		}
		s.off += n
	}
	word := s.src[start:s.off]
	if name := word; typedLitNames[name] && word[0] != '$' {
		j := s.off
		for j < len(s.src) && (s.src[j] == ' ' || s.src[j] == '\t') {
			j++
		}
		if j < len(s.src) && s.src[j] == '(' {
			end := strings.IndexAny(s.src[j+1:], ")\n")
			if end < 0 || s.src[j+1+end] != ')' {
				s.off = j + 1
				s.errorf(start, s.off, "expected ')' to close %s literal, found %s", name,
					"end of line")
				return s.tok(TokIllegal, start)
			}
			s.off = j + 1 + end + 1
			t := s.tok(TokTypedLit, start)
			t.Name = name
			t.Val = strings.TrimSpace(s.src[j+1 : j+1+end])
			return t
		}
	}
	return s.tok(TokIdent, start)
}

// scanNumber scans an integer, real or timespan literal.
func (s *Scanner) scanNumber(start int) Token {
	if s.src[s.off] == '0' && (s.peekByte(1) == 'x' || s.peekByte(1) == 'X') {
		s.off += 2
		for s.off < len(s.src) && strings.IndexByte("0123456789abcdefABCDEF", s.src[s.off]) >= 0 {
			s.off++
		}
		t := s.tok(TokLong, start)
		if _, err := strconv.ParseUint(t.Text[2:], 16, 64); err != nil {
			s.errorf(start, s.off, "invalid hexadecimal literal %s", t.Text)
			t.Kind = TokIllegal
		}
		return t
	}
	kind := TokLong
	for s.off < len(s.src) && isDigit(s.src[s.off]) {
		s.off++
	}
	// A '.' belongs to the number unless it starts the '..' operator.
	if s.peekByte(0) == '.' && s.peekByte(1) != '.' {
		kind = TokReal
		s.off++
		for s.off < len(s.src) && isDigit(s.src[s.off]) {
			s.off++
		}
	}
	if c := s.peekByte(0); c == 'e' || c == 'E' {
		j := 1
		if d := s.peekByte(1); d == '+' || d == '-' {
			j++
		}
		if isDigit(s.peekByte(j)) {
			kind = TokReal
			s.off += j
			for s.off < len(s.src) && isDigit(s.src[s.off]) {
				s.off++
			}
		}
	}
	// Letters directly after a number make a timespan unit.
	unitStart := s.off
	for s.off < len(s.src) {
		r, n := utf8.DecodeRuneInString(s.src[s.off:])
		if !isIdentPart(r) {
			break
		}
		s.off += n
	}
	if unit := s.src[unitStart:s.off]; unit != "" {
		_, ok := types.TimespanUnit(unit)
		if !ok && kind == TokLong && !strings.HasPrefix(unit, "e") && !strings.HasPrefix(unit, "E") {
			// Kusto also reads names that start with digits, such as 5MinuteBin.
			return s.tok(TokIdent, start)
		}
		if !ok {
			s.errorf(unitStart, s.off, "expected a timespan unit (d, h, m, s, ms, ...), found %q",
				unit)
			return s.tok(TokIllegal, start)
		}
		return s.tok(TokTimespan, start)
	}
	return s.tok(kind, start)
}

// scanString scans a quoted string with backslash escapes. quote is the
// offset of the opening quote; start includes any h prefix.
func (s *Scanner) scanString(start, quote int) Token {
	q := s.src[quote]
	s.off = quote + 1
	var b strings.Builder
	for {
		if s.off >= len(s.src) || s.src[s.off] == '\n' {
			s.errorf(start, s.off, "expected %c to end the string literal, found %s", q,
				endDesc(s.src, s.off))
			return s.tok(TokIllegal, start)
		}
		c := s.src[s.off]
		if c == q {
			s.off++
			break
		}
		if c != '\\' {
			b.WriteByte(c)
			s.off++
			continue
		}
		s.off++
		if s.off >= len(s.src) {
			continue
		}
		e := s.src[s.off]
		s.off++
		switch e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'u':
			if s.off+4 <= len(s.src) {
				if v, err := strconv.ParseUint(s.src[s.off:s.off+4], 16, 32); err == nil {
					b.WriteRune(rune(v))
					s.off += 4
					continue
				}
			}
			s.errorf(s.off-2, s.off, "expected four hexadecimal digits after \\u")
		default:
			// Kusto keeps unknown escapes such as \d as written, which regexes rely on.
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	t := s.tok(TokString, start)
	t.Val = b.String()
	return t
}

func endDesc(src string, off int) string {
	if off >= len(src) {
		return "end of query"
	}
	return "end of line"
}

// scanVerbatim scans @'...' or @"..."; s.off is at the quote. A doubled
// quote stands for one quote and backslashes are plain characters.
func (s *Scanner) scanVerbatim(start int) Token {
	q := s.src[s.off]
	s.off++
	var b strings.Builder
	for {
		if s.off >= len(s.src) || s.src[s.off] == '\n' {
			s.errorf(start, s.off, "expected %c to end the string literal, found %s", q,
				endDesc(s.src, s.off))
			return s.tok(TokIllegal, start)
		}
		c := s.src[s.off]
		s.off++
		if c == q {
			if s.peekByte(0) == q {
				b.WriteByte(q)
				s.off++
				continue
			}
			break
		}
		b.WriteByte(c)
	}
	t := s.tok(TokString, start)
	t.Val = b.String()
	return t
}

// scanMultiline scans ```...``` or ~~~...~~~, which may span lines and
// has no escapes.
func (s *Scanner) scanMultiline(start, fence int) Token {
	delim := s.src[fence : fence+3]
	body := fence + 3
	end := strings.Index(s.src[body:], delim)
	if end < 0 {
		s.off = len(s.src)
		s.errorf(start, s.off, "expected %s to end the string literal, found end of query", delim)
		return s.tok(TokIllegal, start)
	}
	s.off = body + end + 3
	t := s.tok(TokString, start)
	t.Val = s.src[body : body+end]
	return t
}

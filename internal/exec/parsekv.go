package exec

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
)

// parseKvOp runs parse-kv.
type parseKvOp struct {
	n    *plan.ParseKv
	in   operator
	x    *compiled
	re   *regexp.Regexp // nil unless regex mode
	want map[string]int // key -> extracted item
}

func (r *runner) parseKv(n *plan.ParseKv, in operator) (operator, error) {
	x, err := r.compile(n.X)
	if err != nil {
		return nil, err
	}
	op := &parseKvOp{n: n, in: in, x: x, want: map[string]int{}}
	if n.Regex != "" {
		if op.re, err = regexp.Compile(n.Regex); err != nil {
			return nil, errorf("parse-kv regex: %v", err)
		}
	}
	for k, key := range n.Keys {
		op.want[key] = k
	}
	return op, nil
}

func (op *parseKvOp) next() (*column.Batch, error) {
	n := op.n
	target := make(map[int]int, len(n.Cols))
	for k, c := range n.Cols {
		target[c] = k
	}
	b, err := op.in.next()
	if b == nil || err != nil {
		return nil, err
	}
	xs := op.x.eval(b)
	out := column.NewBatch(n.Out, b.N)
	vals := make([]any, len(n.Keys))
	found := make([]bool, len(n.Keys))
	for i := 0; i < b.N; i++ {
		clear(vals)
		clear(found)
		op.extract(textOf(xs.Value(i)), func(key, value string) {
			k, ok := op.want[strings.TrimSpace(key)]
			if !ok || found[k] {
				return
			}
			found[k] = true
			vals[k], _ = convertText(strings.TrimSpace(value), n.Types[k])
		})
		for c := range n.Out {
			if k, isNew := target[c]; isNew {
				out.Cols[c].Append(conform(vals[k], n.Types[k]))
				continue
			}
			out.Cols[c].AppendFrom(b.Cols[c], i)
		}
		out.N++
	}
	return out, nil
}

func (op *parseKvOp) close() { op.in.close() }

// extract calls emit for each key/value pair of s, in order.
func (op *parseKvOp) extract(s string, emit func(key, value string)) {
	switch {
	case op.re != nil:
		for _, m := range op.re.FindAllStringSubmatch(s, -1) {
			emit(m[1], m[2])
		}
	case op.n.PairDelim != "":
		op.delimited(s, emit)
	default:
		op.undelimited(s, emit)
	}
}

// delimited splits s into pairs at the pair delimiter and each pair into a
// key and a value at the key/value delimiter. Quoted keys and values may
// hold delimiters. Greedy values run up to the next key instead of the next
// pair delimiter.
func (op *parseKvOp) delimited(s string, emit func(key, value string)) {
	pd, kd := op.n.PairDelim, op.n.KvDelim
	i := 0
	for i < len(s) {
		i = skipSpace(s, i)
		key, j, ok := op.token(s, i, pd, kd)
		if !ok || !strings.HasPrefix(s[j:], kd) {
			// No key/value delimiter in this pair: skip it.
			next := strings.Index(s[j:], pd)
			if next < 0 {
				return
			}
			i = j + next + len(pd)
			continue
		}
		j = skipSpace(s, j+len(kd))
		var value string
		if q, ok := op.openQuote(s, j); ok {
			value, j = op.quoted(s, j, q)
			next := strings.Index(s[j:], pd)
			if next < 0 {
				emit(key, value)
				return
			}
			emit(key, value)
			i = j + next + len(pd)
			continue
		}
		end := op.valueEnd(s, j)
		emit(key, s[j:end])
		if end >= len(s) {
			return
		}
		i = end + len(pd)
	}
}

// valueEnd returns where an unquoted value starting at j ends: at the next
// pair delimiter, or with greedy at the next pair delimiter that a key and
// a key/value delimiter follow.
func (op *parseKvOp) valueEnd(s string, j int) int {
	pd, kd := op.n.PairDelim, op.n.KvDelim
	for from := j; ; {
		next := strings.Index(s[from:], pd)
		if next < 0 {
			return len(s)
		}
		at := from + next
		if !op.n.Greedy {
			return at
		}
		k := skipSpace(s, at+len(pd))
		if _, e, ok := op.token(s, k, pd, kd); ok && e > k && strings.HasPrefix(s[e:], kd) {
			return at
		}
		from = at + len(pd)
	}
}

// token reads a key starting at i: quoted text, or text up to the first of
// the delimiters. It returns the key and where it ends.
func (op *parseKvOp) token(s string, i int, pd, kd string) (string, int, bool) {
	if q, ok := op.openQuote(s, i); ok {
		key, j := op.quoted(s, i, q)
		return key, skipSpace(s, j), true
	}
	end := len(s)
	if k := strings.Index(s[i:], kd); k >= 0 {
		end = i + k
	}
	if k := strings.Index(s[i:], pd); k >= 0 && i+k < end {
		return s[i : i+k], i + k, false
	}
	return s[i:end], end, end < len(s)
}

// openQuote reports whether s[i:] starts with an opening quote, and which.
func (op *parseKvOp) openQuote(s string, i int) (string, bool) {
	if i >= len(s) {
		return "", false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	for _, q := range op.n.Quotes {
		if open, _ := utf8.DecodeRuneInString(q); open == r {
			return q, true
		}
	}
	return "", false
}

// quoted reads the quoted text at s[i:], which starts with quote q's
// opening character, resolving escapes. It returns the text and the index
// after the closing quote (or the end of s).
func (op *parseKvOp) quoted(s string, i int, q string) (string, int) {
	rs := []rune(q)
	closing := rs[len(rs)-1]
	_, size := utf8.DecodeRuneInString(s[i:])
	var b strings.Builder
	for j := i + size; j < len(s); {
		r, size := utf8.DecodeRuneInString(s[j:])
		if op.isEscape(r) && j+size < len(s) {
			next, nsize := utf8.DecodeRuneInString(s[j+size:])
			b.WriteRune(next)
			j += size + nsize
			continue
		}
		if r == closing {
			return b.String(), j + size
		}
		b.WriteRune(r)
		j += size
	}
	return b.String(), len(s)
}

func (op *parseKvOp) isEscape(r rune) bool {
	for _, e := range op.n.Escapes {
		if first, _ := utf8.DecodeRuneInString(e); first == r {
			return true
		}
	}
	return false
}

// undelimited reads s as tokens (runs of letters and digits, or quoted
// text) separated by anything else; a wanted key's value is the token
// after it.
func (op *parseKvOp) undelimited(s string, emit func(key, value string)) {
	var toks []string
	for i := 0; i < len(s); {
		if q, ok := op.openQuote(s, i); ok {
			t, j := op.quoted(s, i, q)
			toks = append(toks, t)
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !isWordRune(r) {
				break
			}
			j += size
		}
		toks = append(toks, s[i:j])
		i = j
	}
	for k := 0; k+1 < len(toks); k++ {
		if _, ok := op.want[toks[k]]; ok {
			emit(toks[k], toks[k+1])
			k++
		}
	}
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

package exec

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// parseOp runs parse and parse-where.
type parseOp struct {
	n      *plan.Parse
	in     operator
	x      *compiled
	re     *regexp.Regexp
	groups []int // submatch index of each extracted column
	fctx   *functions.Context
}

func (r *runner) parse(n *plan.Parse, in operator) (operator, error) {
	x, err := r.compile(n.X)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(n.Pattern)
	if err != nil {
		return nil, fmt.Errorf("%w: parse pattern: %v", ErrInternal, err)
	}
	op := &parseOp{n: n, in: in, x: x, re: re, fctx: r.fctx}
	for _, g := range n.Groups {
		op.groups = append(op.groups, re.SubexpIndex(g))
	}
	return op, nil
}

func (op *parseOp) next() (*column.Batch, error) {
	n := op.n
	target := make(map[int]int, len(n.Cols)) // output column -> extracted item
	for k, c := range n.Cols {
		target[c] = k
	}
	vals := make([]any, len(n.Cols))
	for {
		b, err := op.in.next()
		if b == nil || err != nil {
			return nil, err
		}
		xs := op.x.eval(b)
		out := column.NewBatch(n.Out, b.N)
		for i := 0; i < b.N; i++ {
			ok := op.match(textOf(xs.Value(i)), vals)
			if !ok && n.Where {
				continue
			}
			for c := range n.Out {
				if k, isNew := target[c]; isNew {
					if ok {
						out.Cols[c].Append(conform(vals[k], n.Types[k]))
					} else {
						out.Cols[c].AppendNull()
					}
					continue
				}
				out.Cols[c].AppendFrom(b.Cols[c], i)
			}
			out.N++
		}
		if out.N > 0 {
			return out, nil
		}
	}
}

// match fills vals with the converted captures of s; it reports false when
// the pattern does not match or, unless relaxed, a value does not convert.
func (op *parseOp) match(s string, vals []any) bool {
	m := op.re.FindStringSubmatchIndex(s)
	if m == nil {
		return false
	}
	for k, g := range op.groups {
		text := ""
		if m[2*g] >= 0 {
			text = s[m[2*g]:m[2*g+1]]
		}
		v, ok := convertText(text, op.n.Types[k])
		if !ok && !op.n.Relaxed {
			return false
		}
		vals[k] = v
	}
	return true
}

// convertText converts extracted text to type t; it reports false when the
// text is not a value of t.
func convertText(text string, t types.Type) (any, bool) {
	switch t {
	case types.String:
		return text, true
	case types.Dynamic:
		fn, _ := functions.LookupScalar("todynamic")
		if fn == nil {
			return text, true
		}
		return fn.Eval(&functions.Context{}, []any{text}), true
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, false
	}
	v := convertScalar(text, t)
	return v, v != nil
}

// textOf is the string parse and parse-kv read from a value: strings as
// they are, other values as tostring() formats them.
func textOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	if fn, ok := functions.LookupScalar("tostring"); ok {
		if s, ok := fn.Eval(&functions.Context{}, []any{v}).(string); ok {
			return s
		}
	}
	return types.Format(v)
}

func (op *parseOp) close() { op.in.close() }

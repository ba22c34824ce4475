package exec

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
)

// reduce groups strings into patterns, in the spirit of Vaarandi's SLCT
// (which the Kusto docs name as reduce's basis; Kusto's exact clustering is
// not documented). A value is split into terms at every character that is
// not an ASCII letter or digit, and at the extra separator characters. A
// term is frequent when more than Threshold of the rows hold it; numbers
// never are, as they vary between otherwise equal lines. A value's pattern
// is the value with each run of infrequent terms replaced by *, and the
// extra separators dropped. A pattern without a frequent term, or held by
// no more than Threshold of the rows, goes to the "others" group, whose
// representative is empty.
func (r *runner) reduce(n *plan.Reduce, in operator) (operator, error) {
	x, err := r.compile(n.X)
	if err != nil {
		return nil, err
	}
	return &lazyOp{in: in, run: func() ([]*column.Batch, error) {
		bs, err := drain(in)
		if err != nil {
			return nil, err
		}
		all := concat(bs)
		var vals []string
		if all != nil {
			xs := x.eval(all)
			for i := 0; i < all.N; i++ {
				vals = append(vals, textOf(xs.Value(i)))
			}
		}
		groups, rowGroup := reducePatterns(vals, n.Threshold, n.Characters)
		out := column.NewBatch(n.Out, len(groups))
		if !n.Source {
			for _, g := range groups {
				out.Cols[0].Append(g.pattern)
				out.Cols[1].Append(g.count)
				out.Cols[2].Append(g.representative)
				out.N++
			}
			return split(out), nil
		}
		w := len(n.Out) - 3
		for i := range vals {
			for c := 0; c < w; c++ {
				out.Cols[c].AppendFrom(all.Cols[c], i)
			}
			g := groups[rowGroup[i]]
			out.Cols[w].Append(g.pattern)
			out.Cols[w+1].Append(g.count)
			out.Cols[w+2].Append(g.representative)
			out.N++
		}
		return split(out), nil
	}}, nil
}

// reduceGroup is one output row of reduce.
type reduceGroup struct {
	pattern, representative string
	count                   int64
}

// reduceTerm is a piece of a value: a term, or a run of separators.
type reduceTerm struct {
	text string
	sep  bool // a run of separators
	drop bool // a run of only the extra separators, left out of patterns
}

// reducePatterns groups vals; it returns the groups in order of first
// appearance, "others" last, and each value's group.
func reducePatterns(vals []string, threshold float64, extra string) ([]reduceGroup, []int) {
	split := make([][]reduceTerm, len(vals))
	support := map[string]int{}
	for i, v := range vals {
		split[i] = reduceTerms(v, extra)
		seen := map[string]bool{}
		for _, t := range split[i] {
			if !t.sep && !seen[t.text] {
				seen[t.text] = true
				support[t.text]++
			}
		}
	}
	minSupport := threshold * float64(len(vals))
	frequent := func(term string) bool {
		return float64(support[term]) > minSupport && !isNumber(term)
	}
	patterns := make([]string, len(vals))
	count := map[string]int64{}
	for i, terms := range split {
		var b strings.Builder
		wild, kept := false, false
		for _, t := range terms {
			switch {
			case t.sep:
				if !t.drop {
					b.WriteString(t.text)
					wild = false
				}
			case frequent(t.text):
				b.WriteString(t.text)
				wild, kept = false, true
			case !wild:
				b.WriteByte('*')
				wild = true
			}
		}
		if kept {
			patterns[i] = b.String()
			count[patterns[i]]++
		}
	}
	var groups []reduceGroup
	index := map[string]int{}
	rowGroup := make([]int, len(vals))
	var others []int
	for i, p := range patterns {
		if p == "" || float64(count[p]) <= minSupport {
			others = append(others, i)
			continue
		}
		g, ok := index[p]
		if !ok {
			g = len(groups)
			index[p] = g
			groups = append(groups, reduceGroup{pattern: p, representative: vals[i]})
		}
		groups[g].count++
		rowGroup[i] = g
	}
	if len(others) > 0 {
		for _, i := range others {
			rowGroup[i] = len(groups)
		}
		groups = append(groups, reduceGroup{pattern: "others", count: int64(len(others))})
	}
	return groups, rowGroup
}

// reduceTerms splits v into terms and separator runs.
func reduceTerms(v, extra string) []reduceTerm {
	var out []reduceTerm
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		isSep := reduceSeparator(r, extra)
		j := i + size
		drop := isSep && strings.ContainsRune(extra, r)
		for j < len(v) {
			r2, size2 := utf8.DecodeRuneInString(v[j:])
			if reduceSeparator(r2, extra) != isSep {
				break
			}
			if isSep && !strings.ContainsRune(extra, r2) {
				drop = false
			}
			j += size2
		}
		out = append(out, reduceTerm{text: v[i:j], sep: isSep, drop: drop})
		i = j
	}
	return out
}

func reduceSeparator(r rune, extra string) bool {
	if strings.ContainsRune(extra, r) {
		return true
	}
	return r < utf8.RuneSelf && !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

package plan

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// Parse extracts columns from the string form of X (parse, parse-where).
// Pattern is an RE2 regular expression in which the named group
// Groups[k] captures the text of output column Cols[k], converted to
// Types[k]. The other output columns are the input's, in place.
type Parse struct {
	Input   Node
	X       Expr
	Pattern string
	Groups  []string
	Cols    []int
	Types   []types.Type
	Relaxed bool // a failed conversion nulls its column only, not the whole row
	Where   bool // parse-where: rows that do not match are dropped
	Out     column.Schema
}

// ParseKv extracts the values of the keys named by new columns from
// key/value text in X (parse-kv). Keys[k] fills output column Cols[k],
// converted to Types[k]. With Regex set, its first two capture groups are a
// key and its value; with delimiters set, they split the text into pairs;
// with neither, any run of non-alphanumeric characters separates a key
// from its value and pairs from each other.
type ParseKv struct {
	Input     Node
	X         Expr
	Keys      []string
	Cols      []int
	Types     []types.Type
	PairDelim string
	KvDelim   string
	Quotes    []string // each an opening and a closing quote, or one character for both
	Escapes   []string // one-character escapes inside quoted text
	Greedy    bool     // an unquoted value runs up to the next key, not the next pair delimiter
	Regex     string
	Out       column.Schema
}

// Reduce groups the string values of X into patterns of similar values
// (reduce by). Its output is Pattern, Count and Representative, one row
// per pattern; with Source (kind=source) it is every input row followed by
// those three columns for the row's pattern.
type Reduce struct {
	Input      Node
	X          Expr
	Threshold  float64 // a term is frequent in more than Threshold of the rows
	Characters string  // characters that separate terms, besides the default ones
	Source     bool
	Out        column.Schema
}

// ApplySource is the implicit input of a mv-apply sub-pipeline: the rows that
// mv-apply expanded from the current input row.
type ApplySource struct {
	Out column.Schema
}

// MvApply runs Body once per input row, over the rows Expand makes of that
// row alone. Expand reads the one-row table through an ApplySource of the
// input's schema (directly or under a Project); Body reads Expand's rows
// through an ApplySource of Expand's schema. Out is Keep (input columns
// kept, by index) followed by Body's columns, except that a Body column
// named like a kept column takes its place: Place[j] is the output
// position of Body column j.
type MvApply struct {
	Input  Node
	Expand Node
	Body   Node
	Keep   []int
	Place  []int
	Out    column.Schema
}

func (n *Parse) Schema() column.Schema       { return n.Out }
func (n *ParseKv) Schema() column.Schema     { return n.Out }
func (n *Reduce) Schema() column.Schema      { return n.Out }
func (n *ApplySource) Schema() column.Schema { return n.Out }
func (n *MvApply) Schema() column.Schema     { return n.Out }

func (n *Parse) Inputs() []Node       { return []Node{n.Input} }
func (n *ParseKv) Inputs() []Node     { return []Node{n.Input} }
func (n *Reduce) Inputs() []Node      { return []Node{n.Input} }
func (n *ApplySource) Inputs() []Node { return nil }
func (n *MvApply) Inputs() []Node     { return []Node{n.Input} }

// inputNeeds returns, for the text operators, the input columns read given
// the output columns needed, and whether n is one of them.
func inputNeeds(n Node, need []bool) ([]bool, bool) {
	switch n := n.(type) {
	case *Parse:
		in := make([]bool, len(n.Input.Schema()))
		copy(in, need)
		for _, c := range n.Cols {
			if c < len(in) {
				in[c] = false
			}
		}
		MarkCols(n.X, in)
		return in, true
	case *ParseKv:
		in := make([]bool, len(n.Input.Schema()))
		copy(in, need)
		for _, c := range n.Cols {
			if c < len(in) {
				in[c] = false
			}
		}
		MarkCols(n.X, in)
		return in, true
	case *Reduce:
		in := make([]bool, len(n.Input.Schema()))
		if n.Source {
			copy(in, need)
		}
		MarkCols(n.X, in)
		return in, true
	case *MvApply:
		// The body may read any expanded column; keep the input whole.
		Prune(n.Expand)
		Prune(n.Body)
		in := make([]bool, len(n.Input.Schema()))
		for i := range in {
			in[i] = true
		}
		return in, true
	}
	return nil, false
}

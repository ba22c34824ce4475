package sema

import (
	"strings"

	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// Hints change how Kusto runs an operator, never its result, so huntql
// ignores them; but a hint whose value Kusto rejects makes the query fail
// there, so it fails here too. hintWords lists, per operator, the words
// Kusto's analyzer accepts for a hint (case-insensitively).
var hintWords = map[string]map[string][]string{
	"join": {
		"hint.strategy": {"auto", "broadcast", "centralized", "shuffle"},
		"hint.remote":   {"auto", "left", "local", "right", "unresolved"},
	},
	"distinct":  {"hint.strategy": {"auto", "broadcast", "centralized", "shuffle"}},
	"summarize": {"hint.strategy": {"shuffle"}},
	"sort":      {"hint.strategy": {"splitBlock", "multipleBlocks"}},
	"evaluate": {
		"hint.distribution": {"single", "per_node", "per_shard", "default"},
		"hint.remote":       {"auto", "local"},
	},
}

// opParams returns the operator's name and parameters, for the operators
// whose hint values are checked.
func opParams(op syntax.Operator) (string, []*syntax.OpParam) {
	switch op := op.(type) {
	case *syntax.JoinOp:
		return "join", op.Params
	case *syntax.DistinctOp:
		return "distinct", op.Params
	case *syntax.SummarizeOp:
		return "summarize", op.Params
	case *syntax.SortOp:
		return "sort", op.Params
	case *syntax.EvaluateOp:
		return "evaluate", op.Params
	case *syntax.UnionOp:
		return "union", op.Params
	}
	return "", nil
}

// checkHints reports, and returns false for, a hint or flag of op whose
// value Kusto rejects: a word outside the operator's list, a
// hint.num_partitions that is no integer, an isfuzzy that is no bool.
func (a *analyzer) checkHints(op syntax.Operator) bool {
	name, params := opParams(op)
	for _, p := range params {
		switch {
		case p.Name == "hint.num_partitions":
			if lit, ok := p.Value.(*syntax.Literal); !ok || !lit.Type.IsInteger() {
				a.errorf(p, "%s hint.num_partitions expects an integer literal", name)
				return false
			}
		case p.Name == "isfuzzy":
			lit, ok := p.Value.(*syntax.Literal)
			if ok && lit.Type == types.Bool {
				continue
			}
			if id, isID := p.Value.(*syntax.Ident); isID &&
				(strings.EqualFold(id.Name, "true") || strings.EqualFold(id.Name, "false")) {
				continue
			}
			a.errorf(p, "%s isfuzzy expects true or false", name)
			return false
		}
		words := hintWords[name][p.Name]
		if words == nil {
			continue
		}
		v, _ := paramValue(params, p.Name)
		ok := false
		for _, w := range words {
			ok = ok || strings.EqualFold(w, v)
		}
		if !ok {
			a.errorf(p, "%s %s expects one of %s, found %s", name, p.Name,
				strings.Join(words, ", "), v)
			return false
		}
	}
	return true
}

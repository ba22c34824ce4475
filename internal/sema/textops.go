package sema

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
	"github.com/huntql/huntql/internal/types"
)

// This file binds the operators that extract columns from text: parse,
// parse-where, parse-kv and reduce.

// parseKinds are parse's kind= values.
var parseKinds = map[string]bool{"simple": true, "regex": true, "relaxed": true}

// parse binds parse and parse-where. The pattern becomes one regular
// expression: constants match literally (kind=simple and relaxed) or as
// regular expressions (kind=regex), * skips text, and each column is a
// named capture group whose shape depends on its type.
func (a *analyzer) parse(sc *scope, in plan.Node, op *syntax.ParseOp) plan.Node {
	s := in.Schema()
	x := a.scalar(sc, s, op.X)
	if x == nil {
		return nil
	}
	kind := "simple"
	if v, p := paramValue(op.Params, "kind"); p != nil {
		kind = strings.ToLower(v)
		if !parseKinds[kind] {
			a.errorf(p, "parse expects kind simple, regex or relaxed, found %q", v)
			return nil
		}
	}
	flags := ""
	if v, p := paramValue(op.Params, "flags"); p != nil {
		if kind != "regex" {
			a.errorf(p, "parse accepts flags only with kind=regex")
			return nil
		}
		for _, f := range v {
			if !strings.ContainsRune("imsU", f) {
				a.errorf(p, "parse expects regex flags among i, m, s and U, found %q", v)
				return nil
			}
		}
		flags = v
	}
	for _, p := range op.Params {
		if p.Name != "kind" && p.Name != "flags" {
			a.errorf(p, "unknown parse parameter %s; expected kind or flags", p.Name)
			return nil
		}
	}
	regex := kind == "regex"
	var re strings.Builder
	switch {
	case flags != "":
		re.WriteString("(?" + flags + ")")
	case !regex:
		re.WriteString("(?s)")
	}
	n := &plan.Parse{Input: in, X: x, Relaxed: kind == "relaxed", Where: op.Where}
	out := append(column.Schema(nil), s...)
	declared := map[string]bool{}
	afterColumn, afterString, afterStar := false, false, false
	for i, it := range op.Pattern {
		last := i == len(op.Pattern)-1
		switch {
		case it.Lit != nil:
			text, _ := it.Lit.Value.(string)
			if regex {
				if _, err := regexp.Compile(text); err != nil {
					a.errorf(it, "parse expects a valid regular expression, found %q: %v", text, err)
					return nil
				}
				re.WriteString("(?:" + text + ")")
			} else {
				re.WriteString(regexp.QuoteMeta(text))
			}
			afterColumn, afterString, afterStar = false, false, false
		case it.Star:
			if afterStar {
				a.errorf(it, "parse expects a string constant after *, found another *")
				return nil
			}
			if afterString {
				a.errorf(it, "parse cannot skip text with * right after a string column; "+
					"put a string constant between them")
				return nil
			}
			if regex {
				re.WriteString(".*")
			} else {
				re.WriteString(".*?")
			}
			afterColumn, afterString, afterStar = false, false, true
		default:
			name := it.Name.Name
			if afterStar {
				// Kusto's analyzer: a string literal must follow a *.
				a.errorf(it, "parse expects a string constant after *, found column %s", name)
				return nil
			}
			if afterColumn {
				a.errorf(it, "parse expects a string constant between columns, found column %s", name)
				return nil
			}
			if declared[name] {
				a.errorf(it, "parse declares column %s twice", name)
				return nil
			}
			declared[name] = true
			t := types.String
			if it.Type != nil {
				if it.Type.Scalar == types.Unknown {
					a.errorf(it.Type, "parse expects a scalar column type, found a tabular schema")
					return nil
				}
				t = it.Type.Scalar
			}
			group := fmt.Sprintf("huntql_col%d", len(n.Groups))
			re.WriteString("(?P<" + group + ">" + parseGroup(kind, t, last) + ")")
			col := out.Index(name)
			if col < 0 {
				col = len(out)
				out = append(out, column.Field{Name: name, Type: t})
			} else {
				out[col] = column.Field{Name: name, Type: t}
			}
			n.Groups = append(n.Groups, group)
			n.Cols = append(n.Cols, col)
			n.Types = append(n.Types, t)
			afterColumn, afterString = true, t == types.String
		}
	}
	if len(n.Cols) == 0 {
		a.errorf(op, "parse expects at least one column in its pattern")
		return nil
	}
	n.Pattern = re.String()
	if _, err := regexp.Compile(n.Pattern); err != nil {
		a.errorf(op, "parse pattern does not form a valid regular expression: %v", err)
		return nil
	}
	n.Out = out
	return n
}

// parseGroup is the regular expression a column of type t captures. Kinds
// simple and relaxed take the shortest text up to the next constant (all
// the rest for the last item); kind=regex takes the longest, unless the U
// flag reverses it. Integers take digits only, so that * may follow them.
// In relaxed mode a non-integer text is still taken, to become null.
func parseGroup(kind string, t types.Type, last bool) string {
	if t == types.Int || t == types.Long {
		if kind == "relaxed" {
			if last {
				return `-?\d+|.*`
			}
			return `-?\d+|.*?`
		}
		return `-?\d+`
	}
	if kind == "regex" {
		if t == types.Real {
			return `-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?`
		}
		return ".*"
	}
	if last {
		return ".*"
	}
	return ".*?"
}

// parseKv binds parse-kv: one new column per listed key.
func (a *analyzer) parseKv(sc *scope, in plan.Node, op *syntax.ParseKvOp) plan.Node {
	s := in.Schema()
	x := a.scalar(sc, s, op.X)
	if x == nil {
		return nil
	}
	n := &plan.ParseKv{Input: in, X: x}
	for _, p := range op.Props {
		v, ok := propString(p)
		name := strings.ToLower(p.Name)
		if !ok {
			a.errorf(p, "parse-kv expects a constant value for %s", p.Name)
			return nil
		}
		switch name {
		case "pair_delimiter", "kv_delimiter":
			if v == "" {
				a.errorf(p, "parse-kv expects a non-empty %s", name)
				return nil
			}
			if name == "pair_delimiter" {
				n.PairDelim = v
			} else {
				n.KvDelim = v
			}
		case "quote":
			if n := len([]rune(v)); n < 1 || n > 2 {
				a.errorf(p, "parse-kv expects a quote of one or two characters, found %q", v)
				return nil
			}
			n.Quotes = append(n.Quotes, v)
		case "escape":
			if len([]rune(v)) != 1 {
				a.errorf(p, "parse-kv expects an escape of one character, found %q", v)
				return nil
			}
			n.Escapes = append(n.Escapes, v)
		case "greedy":
			switch strings.ToLower(v) {
			case "true":
				n.Greedy = true
			case "false":
			default:
				a.errorf(p, "parse-kv expects greedy=true or greedy=false, found %q", v)
				return nil
			}
		case "regex":
			re, err := regexp.Compile(v)
			if err != nil {
				a.errorf(p, "parse-kv expects a valid regular expression, found %q: %v", v, err)
				return nil
			}
			if re.NumSubexp() != 2 {
				a.errorf(p, "parse-kv expects a regex with exactly two capture groups "+
					"(key and value), found %d", re.NumSubexp())
				return nil
			}
			n.Regex = v
		default:
			a.errorf(p, "unknown parse-kv property %s; expected pair_delimiter, kv_delimiter, "+
				"quote, escape, greedy or regex", p.Name)
			return nil
		}
	}
	if (n.PairDelim == "") != (n.KvDelim == "") {
		a.errorf(op, "parse-kv expects both pair_delimiter and kv_delimiter, or neither")
		return nil
	}
	if n.Regex != "" && (n.PairDelim != "" || len(n.Quotes) > 0 || n.Greedy) {
		a.errorf(op, "parse-kv with regex takes no delimiters, quotes or greedy")
		return nil
	}
	if n.Greedy && n.PairDelim == "" {
		a.errorf(op, "parse-kv accepts greedy=true only with pair_delimiter and kv_delimiter")
		return nil
	}
	out := append(column.Schema(nil), s...)
	declared := map[string]bool{}
	for _, c := range op.Columns {
		name := c.Name.Name
		if declared[name] {
			a.errorf(c, "parse-kv declares key %s twice", name)
			return nil
		}
		declared[name] = true
		t := types.String
		if c.Type != nil {
			if c.Type.Scalar == types.Unknown {
				a.errorf(c.Type, "parse-kv expects a scalar column type, found a tabular schema")
				return nil
			}
			t = c.Type.Scalar
		}
		col := out.Index(name)
		if col < 0 {
			col = len(out)
			out = append(out, column.Field{Name: name, Type: t})
		} else {
			out[col] = column.Field{Name: name, Type: t}
		}
		n.Keys = append(n.Keys, name)
		n.Cols = append(n.Cols, col)
		n.Types = append(n.Types, t)
	}
	if len(n.Keys) == 0 {
		a.errorf(op, "parse-kv expects at least one key in as (...)")
		return nil
	}
	n.Out = out
	return n
}

// propString returns the constant text of an operator property.
func propString(p *syntax.OpParam) (string, bool) {
	switch v := p.Value.(type) {
	case *syntax.Ident:
		return v.Name, true
	case *syntax.Literal:
		if s, ok := v.Value.(string); ok {
			return s, true
		}
		return types.Format(v.Value), true
	}
	return "", false
}

// reduce binds reduce [kind=source] by X [with threshold=T, characters=C].
func (a *analyzer) reduce(sc *scope, in plan.Node, op *syntax.ReduceOp) plan.Node {
	s := in.Schema()
	x := a.scalar(sc, s, op.By)
	if x == nil {
		return nil
	}
	if t := x.Type(); t != types.String && t != types.Unknown {
		a.errorf(op.By, "reduce expects a string expression, found %s", t)
		return nil
	}
	n := &plan.Reduce{Input: in, X: x, Threshold: 0.1}
	for _, p := range op.Params {
		v, _ := propString(p)
		if p.Name != "kind" || !strings.EqualFold(v, "source") {
			a.errorf(p, "reduce accepts only the parameter kind=source, found %s=%s", p.Name, v)
			return nil
		}
		n.Source = true
	}
	for _, p := range op.Props {
		switch strings.ToLower(p.Name) {
		case "threshold":
			t, ok := a.constReal(sc, p.Value)
			if !ok || t < 0 || t > 1 {
				a.errorf(p, "reduce expects a threshold between 0 and 1")
				return nil
			}
			n.Threshold = t
		case "characters":
			lit, ok := p.Value.(*syntax.Literal)
			str, isStr := "", false
			if ok {
				str, isStr = lit.Value.(string)
			}
			if !isStr {
				a.errorf(p, "reduce expects a string constant for characters")
				return nil
			}
			n.Characters = str
		default:
			a.errorf(p, "unknown reduce property %s; expected threshold or characters", p.Name)
			return nil
		}
	}
	if n.Source {
		n.Out = append(n.Out, s...)
	}
	n.Out = append(n.Out,
		column.Field{Name: "Pattern", Type: types.String},
		column.Field{Name: "Count", Type: types.Long},
		column.Field{Name: "Representative", Type: types.String})
	return n
}

// constReal evaluates a constant number.
func (a *analyzer) constReal(sc *scope, e syntax.Expr) (float64, bool) {
	x := a.scalar(sc, nil, e)
	if x == nil {
		return 0, false
	}
	switch v, _ := foldConst(x); v := v.(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case int32:
		return float64(v), true
	}
	return 0, false
}

package sema

import (
	"fmt"
	"strings"

	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/syntax"
)

// patternRef returns the parts of a pattern invocation, Name(args) or
// Name(args).Path or Name(args).["Path"], with the pattern's binding; b is
// nil when e is not one.
func patternRef(sc *scope, e syntax.Expr) (call *syntax.CallExpr, path syntax.Expr, b *binding) {
	lookup := func(x syntax.Expr) (*syntax.CallExpr, *binding) {
		c, ok := unparen(x).(*syntax.CallExpr)
		if !ok {
			return nil, nil
		}
		if b := sc.lookup(c.Fun.Name); b != nil && b.kind == bindPattern {
			return c, b
		}
		return nil, nil
	}
	switch x := unparen(e).(type) {
	case *syntax.CallExpr:
		call, b = lookup(x)
	case *syntax.MemberExpr:
		if call, b = lookup(x.X); b != nil {
			path = x.Name
		}
	case *syntax.IndexExpr:
		if call, b = lookup(x.X); b != nil {
			path = x.Index
		}
	}
	return call, path, b
}

// pattern binds a pattern invocation to the body of the rule whose values
// match its arguments and path.
func (a *analyzer) pattern(sc *scope, e syntax.Expr, call *syntax.CallExpr, pathExpr syntax.Expr,
	b *binding,
) plan.Node {
	st := b.pat
	var args []string
	for _, x := range call.Args {
		s, ok := a.patternValue(sc, x)
		if !ok {
			return nil
		}
		args = append(args, s)
	}
	path, hasPath := "", pathExpr != nil
	if hasPath {
		if id, ok := pathExpr.(*syntax.Ident); ok {
			path = id.Name
		} else if path, hasPath = a.patternValue(sc, pathExpr); !hasPath {
			return nil
		}
	}
	ref := patternText(call.Fun.Name, args, path, hasPath)
	switch {
	case st.Params == nil:
		a.errorf(e, "pattern reference %s is not declared: pattern %s maps nothing", ref, st.Name.Name)
		return nil
	case len(args) != len(st.Params):
		a.errorf(call, "pattern %s expects %d arguments, found %d", st.Name.Name, len(st.Params),
			len(args))
		return nil
	case st.Path != nil && !hasPath:
		a.errorf(e, "pattern %s expects a path, as in %s(...).%s", st.Name.Name, st.Name.Name,
			st.Path.Name.Name)
		return nil
	case st.Path == nil && hasPath:
		a.errorf(pathExpr, "pattern %s has no path", st.Name.Name)
		return nil
	}
	for _, r := range st.Rules {
		if ruleMatches(r, args, path) {
			body := newScope(b.fnEnv)
			for _, s := range r.Body.Stmts {
				if let, ok := s.(*syntax.LetStmt); ok {
					a.bindLet(body, let)
				}
			}
			if r.Body.Result == nil {
				a.errorf(r, "expected a tabular expression in the pattern's body")
				return nil
			}
			return a.tabular(body, r.Body.Result)
		}
	}
	a.errorf(e, "pattern reference %s is not declared", ref)
	return nil
}

// patternValue returns the constant string value of a pattern argument.
func (a *analyzer) patternValue(sc *scope, x syntax.Expr) (string, bool) {
	v := a.scalar(sc, nil, x)
	if v == nil {
		return "", false
	}
	if c, ok := v.(*plan.Const); ok {
		if s, ok := c.Value.(string); ok {
			return s, true
		}
	}
	a.errorf(x, "expected a constant string as a pattern argument, found %s", v.Type())
	return "", false
}

func ruleMatches(r *syntax.PatternRule, args []string, path string) bool {
	if len(r.Args) != len(args) {
		return false
	}
	for i, x := range r.Args {
		if lit, ok := x.(*syntax.Literal); !ok || lit.Value != args[i] {
			return false
		}
	}
	if r.Path == nil {
		return path == ""
	}
	lit, ok := r.Path.(*syntax.Literal)
	return ok && lit.Value == path
}

// patternText spells an invocation as Kusto's messages do: app('a').['b'].
func patternText(name string, args []string, path string, hasPath bool) string {
	quoted := make([]string, len(args))
	for i, s := range args {
		quoted[i] = "'" + s + "'"
	}
	out := fmt.Sprintf("%s(%s)", name, strings.Join(quoted, ", "))
	if hasPath {
		out += ".['" + path + "']"
	}
	return out
}

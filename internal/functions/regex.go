package functions

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the regular-expression functions. Kusto's regular
// expressions are RE2, which is Go's regexp syntax; patterns are compiled
// once and cached.

func init() {
	scalar("extract", evalExtract,
		"string, long, string -> string", "string, long, string, type -> TypeArg")
	// extractall is the deprecated name of extract_all.
	alias("extractall", scalar("extract_all", evalExtractAll,
		"string, string -> dynamic", "string, Dynamic, string -> dynamic"))
	scalar("replace_regex", evalReplaceRegex, "string, string, string -> string")
	// replace is the deprecated form with the text last: replace(regex,
	// rewrite, text), as its old page and Kusto.Language's symbol have it.
	scalar("replace", func(ctx *Context, a []any) any {
		return evalReplaceRegex(ctx, []any{a[2], a[0], a[1]})
	}, "string, string, string -> string")
	scalar("trim", func(_ *Context, a []any) any {
		return trimRegex(str(a[0]), str(a[1]), true, true)
	}, "string, string -> string")
	scalar("trim_start", func(_ *Context, a []any) any {
		return trimRegex(str(a[0]), str(a[1]), true, false)
	}, "string, string -> string")
	scalar("trim_end", func(_ *Context, a []any) any {
		return trimRegex(str(a[0]), str(a[1]), false, true)
	}, "string, string -> string")
	scalar("regex_quote", func(_ *Context, a []any) any { return regexp.QuoteMeta(str(a[0])) },
		"Scalar -> string")
	scalar("indexof_regex", evalIndexofRegex,
		"Scalar, Scalar, Integer?, Integer?, Integer? -> long")
}

// evalExtract returns capture group n of the first match of the regex, ""
// (or null for a non-string result type) when there is no match or no such
// group; with a type argument the text is converted to that type.
func evalExtract(_ *Context, a []any) any {
	target := types.String
	if len(a) > 3 {
		if t, ok := asTypeArg(a[3]); ok {
			target = t
		}
	}
	miss := any(nil)
	if target == types.String {
		miss = ""
	}
	re := compileRegex(str(a[0]))
	n, ok := asLong(a[1])
	if re == nil || !ok || n < 0 || n > int64(re.NumSubexp()) {
		return miss
	}
	m := re.FindStringSubmatchIndex(str(a[2]))
	if m == nil || m[2*n] < 0 {
		return miss
	}
	s := str(a[2])[m[2*n]:m[2*n+1]]
	if target == types.String {
		return s
	}
	return Convert(s, target)
}

// evalExtractAll returns every match: the capture group when the regex has
// one, an array of the groups when it has several (or those listed), the
// whole match when it has none; null when nothing matches.
func evalExtractAll(_ *Context, a []any) any {
	re := compileRegex(str(a[0]))
	if re == nil {
		return nil
	}
	text := str(a[len(a)-1])
	var groups []int
	if len(a) == 3 {
		arr, ok := a[1].([]any)
		if !ok {
			return nil
		}
		for _, g := range arr {
			// A group is named by its number or, for (?P<name>...), its name.
			if name, isName := g.(string); isName {
				i := re.SubexpIndex(name)
				if i < 0 {
					return nil
				}
				groups = append(groups, i)
				continue
			}
			n, ok := asLong(g)
			if !ok || n < 0 || n > int64(re.NumSubexp()) {
				return nil
			}
			groups = append(groups, int(n))
		}
	} else if re.NumSubexp() == 0 {
		groups = []int{0}
	} else {
		for i := 1; i <= re.NumSubexp(); i++ {
			groups = append(groups, i)
		}
	}
	matches := re.FindAllStringSubmatchIndex(text, -1)
	if len(matches) == 0 {
		return nil
	}
	out := make([]any, 0, len(matches))
	for _, m := range matches {
		get := func(g int) any {
			if m[2*g] < 0 {
				return ""
			}
			return text[m[2*g]:m[2*g+1]]
		}
		if len(groups) == 1 {
			out = append(out, get(groups[0]))
			continue
		}
		row := make([]any, len(groups))
		for i, g := range groups {
			row[i] = get(g)
		}
		out = append(out, row)
	}
	return out
}

func evalReplaceRegex(_ *Context, a []any) any {
	re := compileRegex(str(a[1]))
	if re == nil {
		return nil
	}
	return re.ReplaceAllString(str(a[0]), rewritePattern(str(a[2])))
}

// rewritePattern turns Kusto's \1-style group references into Go's ${1}
// and escapes the $ signs Go would otherwise expand.
func rewritePattern(p string) string {
	if !strings.ContainsAny(p, `\$`) {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '$':
			b.WriteString("$$")
		case c == '\\' && i+1 < len(p) && p[i+1] >= '0' && p[i+1] <= '9':
			j := i + 1
			for j < len(p) && p[j] >= '0' && p[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(p[i+1 : j])
			b.WriteString("${" + strconv.Itoa(n) + "}")
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// trimRegex removes leading and/or trailing runs of matches of pattern.
func trimRegex(pattern, s string, start, end bool) any {
	if compileRegex(pattern) == nil {
		return nil
	}
	if start {
		if re := compileRegex("^(?:" + pattern + ")+"); re != nil {
			if loc := re.FindStringIndex(s); loc != nil {
				s = s[loc[1]:]
			}
		}
	}
	if end {
		if re := compileRegex("(?:" + pattern + ")+$"); re != nil {
			if loc := re.FindStringIndex(s); loc != nil {
				s = s[:loc[0]]
			}
		}
	}
	return s
}

func evalIndexofRegex(_ *Context, a []any) any {
	re := compileRegex(str(a[1]))
	if re == nil {
		return nil
	}
	s := str(a[0])
	start, length, occ := int64(0), int64(-1), int64(1)
	var ok bool
	if len(a) > 2 && a[2] != nil {
		if start, ok = asLong(a[2]); !ok {
			return nil
		}
	}
	if len(a) > 3 && a[3] != nil {
		if length, ok = asLong(a[3]); !ok {
			return nil
		}
	}
	if len(a) > 4 && a[4] != nil {
		if occ, ok = asLong(a[4]); !ok {
			return nil
		}
	}
	if start < 0 || length < -1 || occ <= 0 {
		return nil
	}
	if start > int64(len(s)) {
		return int64(-1)
	}
	end := int64(len(s))
	if length >= 0 && length < end-start { // not start+length, which can overflow
		end = start + length
	}
	for i, m := range re.FindAllStringIndex(s[start:end], -1) {
		if int64(i+1) == occ {
			return start + int64(m[0])
		}
	}
	return int64(-1)
}

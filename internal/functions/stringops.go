package functions

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// This file registers the string operators (contains, has, startswith,
// ... and their negated and case-sensitive forms, and matches regex) and
// the term-matching helpers behind has, has_any and has_all.
//
// Kusto splits a string into terms, the maximal runs of letters and digits
// (the string operators page; older versions said ASCII letters and digits,
// the current one any alphanumeric character, so "Müller" is one term, not
// "M" and "ller"). has matches a whole term; a needle that itself contains other
// characters matches wherever it occurs with term edges at both of its
// alphanumeric ends. hasprefix and hassuffix need the edge only at the start
// or the end. Case-insensitive operators fold ASCII without allocating and
// fall back to Unicode lower-casing for other text.

func init() {
	preds := []struct {
		name string
		f    func(s, t string, fold bool) bool
		fold bool
	}{
		{"contains", containsOp, true},
		{"contains_cs", containsOp, false},
		{"has", hasOp, true},
		{"has_cs", hasOp, false},
		{"hasprefix", hasPrefixOp, true},
		{"hasprefix_cs", hasPrefixOp, false},
		{"hassuffix", hasSuffixOp, true},
		{"hassuffix_cs", hasSuffixOp, false},
		{"startswith", startsOp, true},
		{"startswith_cs", startsOp, false},
		{"endswith", endsOp, true},
		{"endswith_cs", endsOp, false},
	}
	for _, p := range preds {
		f, fold := p.f, p.fold
		stringPreds[p.name] = stringPred{f: f, fold: fold}
		RegisterBinary(&BinaryOp{Op: p.name, Result: stringResult(p.name),
			Eval: func(l, r any) any { return applyStringOp(f, l, r, fold) }})
		RegisterBinary(&BinaryOp{Op: "!" + p.name, Result: stringResult("!" + p.name),
			Eval: func(l, r any) any { return !applyStringOp(f, l, r, fold) }})
	}
	RegisterBinary(&BinaryOp{Op: "matches regex", Result: stringResult("matches regex"),
		Eval: func(l, r any) any {
			re := compileRegex(str(r))
			if re == nil {
				return nil
			}
			return re.MatchString(str(l))
		}})
}

// applyStringOp converts non-string operands with tostring() and applies f,
// lower-casing both sides first when folding non-ASCII text.
func applyStringOp(f func(s, t string, fold bool) bool, l, r any, fold bool) bool {
	s, ok := l.(string)
	if !ok {
		s = str(l)
	}
	t, ok := r.(string)
	if !ok {
		t = str(r)
	}
	if fold && (!isASCII(s) || !isASCII(t)) {
		s, t = strings.ToLower(s), strings.ToLower(t)
	}
	return f(s, t, fold)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func lowerByte(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// equalFoldString is =~ on two strings, without allocating for ASCII.
func equalFoldString(x, y string) bool {
	if isASCII(x) && isASCII(y) {
		return len(x) == len(y) && hasPrefixFold(x, y)
	}
	return strings.EqualFold(x, y)
}

// hasPrefixFold reports whether s starts with t, folding ASCII case.
func hasPrefixFold(s, t string) bool {
	if len(t) > len(s) {
		return false
	}
	for i := 0; i < len(t); i++ {
		if s[i] != t[i] && lowerByte(s[i]) != lowerByte(t[i]) {
			return false
		}
	}
	return true
}

// indexFrom returns the first index >= from of t in s, or -1.
func indexFrom(s, t string, from int, fold bool) int {
	if from > len(s) {
		return -1
	}
	if !fold {
		i := strings.Index(s[from:], t)
		if i < 0 {
			return -1
		}
		return from + i
	}
	if len(t) == 0 {
		return from
	}
	first := lowerByte(t[0])
	for i := from; i+len(t) <= len(s); i++ {
		if lowerByte(s[i]) == first && hasPrefixFold(s[i:], t) {
			return i
		}
	}
	return -1
}

func containsOp(s, t string, fold bool) bool { return indexFrom(s, t, 0, fold) >= 0 }

func startsOp(s, t string, fold bool) bool {
	if !fold {
		return strings.HasPrefix(s, t)
	}
	return hasPrefixFold(s, t)
}

func endsOp(s, t string, fold bool) bool {
	if len(t) > len(s) {
		return false
	}
	if !fold {
		return strings.HasSuffix(s, t)
	}
	return hasPrefixFold(s[len(s)-len(t):], t)
}

func hasOp(s, t string, fold bool) bool       { return termMatch(s, t, fold, true, true) }
func hasPrefixOp(s, t string, fold bool) bool { return termMatch(s, t, fold, true, false) }
func hasSuffixOp(s, t string, fold bool) bool { return termMatch(s, t, fold, false, true) }

// termMatch finds t in s with a term edge before it (left) and after it
// (right) where t itself begins or ends with an alphanumeric character.
func termMatch(s, t string, fold, left, right bool) bool {
	if t == "" {
		return true
	}
	first, _ := utf8.DecodeRuneInString(t)
	last, _ := utf8.DecodeLastRuneInString(t)
	left = left && isTermRune(first)
	right = right && isTermRune(last)
	for from := 0; ; {
		i := indexFrom(s, t, from, fold)
		if i < 0 {
			return false
		}
		end := i + len(t)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if (!left || i == 0 || !isTermRune(before)) && (!right || end == len(s) || !isTermRune(after)) {
			return true
		}
		from = i + 1
	}
}

// isTermRune reports whether r belongs to a term: a letter or a digit.
func isTermRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(byte(r))
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// Has reports whether s has the term t, case-insensitively (the has
// operator).
func Has(s, t string) bool {
	return applyStringOp(hasOp, s, t, true)
}

// HasAny reports whether s has any of terms (has_any), case-insensitively.
func HasAny(s string, terms []string) bool {
	ascii := isASCII(s)
	var lower string
	for _, t := range terms {
		if ascii && isASCII(t) {
			if hasOp(s, t, true) {
				return true
			}
			continue
		}
		if lower == "" {
			lower = strings.ToLower(s)
		}
		if hasOp(lower, strings.ToLower(t), true) {
			return true
		}
	}
	return false
}

// HasAll reports whether s has every one of terms (has_all),
// case-insensitively. An empty list is true.
func HasAll(s string, terms []string) bool {
	for _, t := range terms {
		if !HasAny(s, []string{t}) {
			return false
		}
	}
	return true
}

// regexCache holds compiled patterns; a nil entry marks an invalid one.
var regexCache struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}

const regexCacheMax = 4096

// compileRegex compiles an RE2 pattern once, returning nil if it is invalid.
func compileRegex(p string) *regexp.Regexp {
	regexCache.Lock()
	re, ok := regexCache.m[p]
	regexCache.Unlock()
	if ok {
		return re
	}
	re, err := regexp.Compile(p)
	if err != nil {
		re = nil
	}
	regexCache.Lock()
	if regexCache.m == nil || len(regexCache.m) >= regexCacheMax {
		regexCache.m = map[string]*regexp.Regexp{}
	}
	regexCache.m[p] = re
	regexCache.Unlock()
	return re
}

// CompileRegex compiles a Kusto (RE2) regular expression through the shared
// cache; semantic analysis can use it to report an invalid constant pattern.
func CompileRegex(p string) (*regexp.Regexp, error) {
	if re := compileRegex(p); re != nil {
		return re, nil
	}
	return regexp.Compile(p)
}

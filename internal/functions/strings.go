package functions

import (
	"encoding/base64"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the string functions. Character positions and
// lengths count Unicode code points (runes), as strlen's page says it does
// ("This function counts Unicode code points"): 😀 is one character, and a
// letter with a combining mark is two.

func init() {
	// strcat takes between 1 and 64 arguments, strcat_delim a delimiter and
	// between 2 and 64 more (their pages; Kusto.Language checks the same).
	strcat := scalar("strcat", evalStrcat, "Scalar* -> string")
	strcat.MinArgs, strcat.MaxArgs = 1, 64
	delim := scalar("strcat_delim", func(_ *Context, a []any) any {
		parts := make([]string, len(a)-1)
		for i, v := range a[1:] {
			parts[i] = str(v)
		}
		return strings.Join(parts, str(a[0]))
	}, "Scalar, Scalar* -> string")
	delim.MinArgs, delim.MaxArgs = 3, 65
	scalar("strlen", func(_ *Context, a []any) any {
		if a[0] == nil {
			return nil
		}
		return int64(utf8.RuneCountInString(str(a[0])))
	}, "StringOrDynamic -> long")
	scalar("string_size", func(_ *Context, a []any) any {
		if a[0] == nil {
			return nil
		}
		return int64(len(str(a[0])))
	}, "StringOrDynamic -> long")
	scalar("tolower", func(_ *Context, a []any) any { return strings.ToLower(str(a[0])) },
		"Scalar -> string")
	scalar("toupper", func(_ *Context, a []any) any { return strings.ToUpper(str(a[0])) },
		"Scalar -> string")
	scalar("substring", evalSubstring, "Scalar, Integer, Integer? -> string")
	scalar("split", evalSplit, "Scalar, string, Integer? -> dynamic")
	scalar("replace_string", func(_ *Context, a []any) any {
		s, old := str(a[0]), str(a[1])
		if old == "" {
			return s
		}
		return strings.ReplaceAll(s, old, str(a[2]))
	}, "string, string, string -> string")
	scalar("reverse", func(_ *Context, a []any) any {
		r := []rune(str(a[0]))
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return string(r)
	}, "Scalar -> string")
	scalar("strcmp", func(_ *Context, a []any) any {
		return int64(strings.Compare(str(a[0]), str(a[1])))
	}, "Scalar, Scalar -> long")
	scalar("strrep", evalStrrep, "Scalar, long, Scalar? -> string")
	scalar("indexof", evalIndexof, "Scalar, Scalar, Integer?, Integer?, Integer? -> long")
	scalar("countof", evalCountof, "string, string, string? -> long")
	scalar("translate", evalTranslate, "string, string, string -> string")
	scalar("isascii", func(_ *Context, a []any) any { return isASCII(str(a[0])) },
		"Scalar -> bool")
	scalar("isutf8", func(_ *Context, a []any) any { return utf8.ValidString(str(a[0])) },
		"Scalar -> bool")
	scalar("url_encode", func(_ *Context, a []any) any { return urlEncode(str(a[0]), "+") },
		"string -> string")
	scalar("url_encode_component", func(_ *Context, a []any) any {
		return urlEncode(str(a[0]), "%20")
	}, "string -> string")
	scalar("url_decode", func(_ *Context, a []any) any {
		s, err := url.QueryUnescape(str(a[0]))
		if err != nil {
			return nil
		}
		return s
	}, "string -> string")
	scalar("base64_encode_tostring", func(_ *Context, a []any) any {
		return base64.StdEncoding.EncodeToString([]byte(str(a[0])))
	}, "string -> string")
	scalar("base64_decode_tostring", func(_ *Context, a []any) any {
		b, ok := decodeBase64(str(a[0]))
		if !ok || !utf8.Valid(b) {
			return nil
		}
		return string(b)
	}, "string -> string")
	scalar("base64_decode_toarray", func(_ *Context, a []any) any {
		b, ok := decodeBase64(str(a[0]))
		if !ok {
			return nil
		}
		out := make([]any, len(b))
		for i, c := range b {
			out[i] = int64(c)
		}
		return out
	}, "string -> dynamic")
	scalar("base64_encode_fromarray", func(_ *Context, a []any) any {
		arr, ok := a[0].([]any)
		if !ok {
			return nil
		}
		b := make([]byte, len(arr))
		for i, e := range arr {
			n, ok := asLong(e)
			if !ok || n < 0 || n > 255 {
				return nil
			}
			b[i] = byte(n)
		}
		return base64.StdEncoding.EncodeToString(b)
	}, "Dynamic -> string")
	scalar("unicode_codepoints_from_string", func(_ *Context, a []any) any {
		out := []any{}
		for _, r := range str(a[0]) {
			out = append(out, int64(r))
		}
		return out
	}, "Scalar -> dynamic")
	// make_string is the deprecated name of unicode_codepoints_to_string.
	alias("make_string", scalar("unicode_codepoints_to_string", evalCodepointsToString,
		"IntegerOrArray* -> string"))
	alias("base64_decodestring", mustScalar("base64_decode_tostring"))
	alias("base64_encodestring", mustScalar("base64_encode_tostring"))
}

func evalStrcat(_ *Context, a []any) any {
	var b strings.Builder
	for _, v := range a {
		if s, ok := v.(string); ok {
			b.WriteString(s)
		} else {
			b.WriteString(str(v))
		}
	}
	return b.String()
}

// substring(s, start, length): a negative start counts from the end; the
// range is clipped to the string; a negative length yields "".
func evalSubstring(_ *Context, a []any) any {
	s := str(a[0])
	start, ok := asLong(a[1])
	if !ok {
		return nil
	}
	var runes []rune
	n := int64(len(s))
	ascii := isASCII(s)
	if !ascii {
		runes = []rune(s)
		n = int64(len(runes))
	}
	if start < 0 {
		start += n
		if start < 0 {
			start = 0
		}
	}
	if start > n {
		return ""
	}
	end := n
	if len(a) > 2 && a[2] != nil {
		l, ok := asLong(a[2])
		if !ok {
			return nil
		}
		if l < 0 {
			return ""
		}
		if l < n-start {
			end = start + l
		}
	}
	if ascii {
		return s[start:end]
	}
	return string(runes[start:end])
}

func evalSplit(_ *Context, a []any) any {
	s, d := str(a[0]), str(a[1])
	var parts []string
	if d == "" {
		parts = []string{s}
	} else {
		parts = strings.Split(s, d)
	}
	if len(a) > 2 && a[2] != nil {
		i, ok := asLong(a[2])
		if !ok || i < 0 || i >= int64(len(parts)) {
			return []any{}
		}
		return []any{parts[i]}
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out
}

func evalStrrep(_ *Context, a []any) any {
	n, ok := asLong(a[1])
	if !ok || n < 0 {
		return nil
	}
	s := str(a[0])
	delim := ""
	if len(a) > 2 {
		delim = str(a[2])
	}
	if s == "" && delim == "" {
		return ""
	}
	const maxLen = 1 << 20 // Kusto caps results at 1 MB
	if n > maxLen || int64(len(s)+len(delim))*n > maxLen {
		return nil
	}
	parts := make([]string, n)
	for i := range parts {
		parts[i] = s
	}
	return strings.Join(parts, delim)
}

// evalIndexof implements indexof(s, match, start, length, occurrence).
func evalIndexof(_ *Context, a []any) any {
	s, m := []rune(str(a[0])), []rune(str(a[1]))
	n := int64(len(s))
	start, length, occ := int64(0), int64(-1), int64(1)
	var ok bool
	if len(a) > 2 && a[2] != nil {
		if start, ok = asLong(a[2]); !ok {
			return nil
		}
		if start < 0 {
			start += n
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
	if start < 0 || length < -1 || occ < 0 {
		return nil
	}
	if start > n {
		return int64(-1)
	}
	// The doc examples (indexof("abcdefgabcdefg", "cde", 1, 10, 2) is 9)
	// show the examined window reaching one character past start+length.
	end := n
	if length >= 0 && length < n-start-1 { // not start+length+1, which can overflow
		end = start + length + 1
	}
	found := int64(0)
	for i := start; i+int64(len(m)) <= end; i++ {
		if string(s[i:i+int64(len(m))]) == string(m) {
			found++
			if found >= occ {
				return i
			}
		}
	}
	return int64(-1)
}

// evalCountof counts the matches of a substring ("normal"), which may
// overlap (its doc: countof("aaaa", "aa") is 3), or of a regular expression
// ("regex"), which don't.
func evalCountof(_ *Context, a []any) any {
	s, search := str(a[0]), str(a[1])
	kind := "normal"
	if len(a) > 2 {
		kind = strings.ToLower(str(a[2]))
	}
	switch kind {
	case "normal", "":
		if search == "" {
			return int64(0)
		}
		n := int64(0)
		for i := strings.Index(s, search); i >= 0; {
			n++
			j := strings.Index(s[i+1:], search)
			if j < 0 {
				break
			}
			i += 1 + j
		}
		return n
	case "regex":
		re := compileRegex(search)
		if re == nil {
			return nil
		}
		return int64(len(re.FindAllStringIndex(s, -1)))
	}
	return nil
}

// evalTranslate replaces each character of searchList in source by the
// character at the same position in replacementList (the last one if it is
// shorter), or removes it when replacementList is empty.
func evalTranslate(_ *Context, a []any) any {
	from, to := []rune(str(a[0])), []rune(str(a[1]))
	m := make(map[rune]int, len(from))
	for i, r := range from {
		if _, ok := m[r]; !ok {
			m[r] = i
		}
	}
	var b strings.Builder
	for _, r := range str(a[2]) {
		i, ok := m[r]
		switch {
		case !ok:
			b.WriteRune(r)
		case len(to) == 0:
		case i < len(to):
			b.WriteRune(to[i])
		default:
			b.WriteRune(to[len(to)-1])
		}
	}
	return b.String()
}

func evalCodepointsToString(_ *Context, a []any) any {
	var b strings.Builder
	var add func(v any) bool
	add = func(v any) bool {
		if arr, ok := v.([]any); ok {
			for _, e := range arr {
				if !add(e) {
					return false
				}
			}
			return true
		}
		n, ok := asLong(v)
		// Surrogate halves are not characters: the doc's "any argument
		// isn't a valid Unicode codepoint" gives null.
		if !ok || n < 0 || n > utf8.MaxRune || n >= 0xD800 && n <= 0xDFFF {
			return false
		}
		b.WriteRune(rune(n))
		return true
	}
	for _, v := range a {
		if !add(v) {
			return nil
		}
	}
	return b.String()
}

// urlEncode percent-encodes s as .NET's HttpUtility.UrlEncode does, which
// is what the docs' examples show: lowercase hex digits ("https%3a%2f%2f"),
// letters, digits and -_.!*() kept, and a space written as space.
func urlEncode(s, space string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			b.WriteString(space)
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.IndexByte("-_.!*()", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

func decodeBase64(s string) ([]byte, bool) {
	// Kusto decodes as .NET does: the standard alphabet with padding, so
	// base64_decode_toarray of unpadded text is null (its documentation).
	b, err := base64.StdEncoding.DecodeString(s)
	return b, err == nil
}

// typeName returns gettype()'s name for a runtime value.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "array"
	case *types.Bag:
		return "dictionary"
	case int32:
		return "int"
	case int64:
		return "long"
	case float64:
		return "real"
	case types.Date:
		return "datetime"
	case types.Duration:
		return "timespan"
	}
	return types.TypeOf(v).String()
}

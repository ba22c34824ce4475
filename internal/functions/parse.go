package functions

import (
	"encoding/csv"
	"net/url"
	"strconv"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the parsing functions that build dynamic values from
// text: parse_url, parse_urlquery, parse_path, parse_command_line,
// parse_csv and extract_json.

func init() {
	scalar("parse_url", func(_ *Context, a []any) any { return parseURL(str(a[0])) },
		"string -> dynamic")
	alias("parseurl", scalar("parse_url", func(_ *Context, a []any) any {
		return parseURL(str(a[0]))
	}, "string -> dynamic"))
	scalar("parse_urlquery", func(_ *Context, a []any) any {
		b := types.NewBag()
		b.Set("Query Parameters", queryBag(strings.TrimPrefix(str(a[0]), "?")))
		return b
	}, "string -> dynamic")
	scalar("parse_path", func(_ *Context, a []any) any { return parsePath(str(a[0])) },
		"string -> dynamic")
	scalar("parse_command_line", func(_ *Context, a []any) any {
		return parseCommandLine(str(a[0]))
	}, "Scalar, string -> dynamic")
	scalar("parse_csv", func(_ *Context, a []any) any {
		r := csv.NewReader(strings.NewReader(str(a[0])))
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		rec, err := r.Read()
		if err != nil {
			return []any{""}
		}
		out := make([]any, len(rec))
		for i, f := range rec {
			out[i] = f
		}
		return out
	}, "StringOrDynamic -> dynamic")
	ej := scalar("extract_json", evalExtractJSON,
		"string, string -> string", "string, string, type -> TypeArg")
	alias("extractjson", ej)
}

// parseURL splits an absolute URL into the bag Kusto returns: Scheme, Host,
// Port, Path, Username, Password, Query Parameters, Fragment. Path keeps its
// leading slash as Kusto's engine returns it (the doc page's table drops
// it). Text that is not an absolute URL yields an empty bag.
func parseURL(s string) any {
	out := types.NewBag()
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme == "" || u.Host == "" && u.Opaque == "" {
		return out
	}
	out.Set("Scheme", u.Scheme)
	out.Set("Host", u.Hostname())
	out.Set("Port", u.Port())
	out.Set("Path", u.EscapedPath())
	user, pass := "", ""
	if u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
	}
	out.Set("Username", user)
	out.Set("Password", pass)
	out.Set("Query Parameters", queryBag(u.RawQuery))
	out.Set("Fragment", u.Fragment)
	return out
}

// queryBag parses k1=v1&k2=v2 into a bag, keeping key order; values are
// URL-decoded, and a repeated key keeps its last value.
func queryBag(q string) *types.Bag {
	b := types.NewBag()
	for _, kv := range strings.Split(q, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		b.Set(k, v)
	}
	return b
}

// parsePath splits a file path (Windows, UNC, Unix or file:// URL) into
// Scheme, RootPath, DirectoryPath, DirectoryName, Filename, Extension and
// AlternateDataStreamName.
func parsePath(p string) any {
	out := types.NewBag()
	scheme := ""
	if i := strings.Index(p, "://"); i > 0 && !strings.ContainsAny(p[:i], `\/`) {
		scheme, p = p[:i], p[i+3:]
	}
	root := ""
	if len(p) >= 2 && p[1] == ':' && isAlnum(p[0]) {
		root = p[:2]
	}
	cut := strings.LastIndexAny(p, `\/`)
	dir, file := "", p
	if cut >= 0 {
		dir, file = p[:cut], p[cut+1:]
	}
	stream := ""
	if i := strings.IndexByte(file, ':'); i >= 0 {
		file, stream = file[:i], file[i+1:]
	}
	dirName := dir
	if i := strings.LastIndexAny(dir, `\/`); i >= 0 {
		dirName = dir[i+1:]
	}
	ext := ""
	if i := strings.LastIndexByte(file, '.'); i >= 0 {
		ext = file[i+1:]
	}
	out.Set("Scheme", scheme)
	out.Set("RootPath", root)
	out.Set("DirectoryPath", dir)
	out.Set("DirectoryName", dirName)
	out.Set("Filename", file)
	out.Set("Extension", ext)
	out.Set("AlternateDataStreamName", stream)
	return out
}

// parseCommandLine splits a command line as Windows' CommandLineToArgvW
// does: whitespace separates arguments, double quotes group, a backslash
// escapes a quote, and 2n backslashes before a quote become n. A line that
// starts with whitespace has an empty first argument (CommandLineToArgvW's
// documentation: "if lpCmdLine starts with any amount of whitespace,
// CommandLineToArgvW will consider the first argument to be an empty
// string").
func parseCommandLine(s string) any {
	out := []any{}
	if len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		out = append(out, "")
	}
	var cur strings.Builder
	inQuotes, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			if i < len(s) && s[i] == '"' {
				cur.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					cur.WriteByte('"')
				} else {
					inQuotes = !inQuotes
				}
			} else {
				cur.WriteString(strings.Repeat(`\`, n))
				i--
			}
			have = true
		case c == '"':
			if inQuotes && i+1 < len(s) && s[i+1] == '"' {
				cur.WriteByte('"')
				i++
			} else {
				inQuotes = !inQuotes
			}
			have = true
		case (c == ' ' || c == '\t' || c == '\n' || c == '\r') && !inQuotes:
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}

// evalExtractJSON evaluates a simple JSONPath ($.a.b[0]['c']) over JSON
// text; objects and arrays found are returned as JSON text.
func evalExtractJSON(_ *Context, a []any) any {
	target := types.String
	if len(a) > 2 {
		if t, ok := asTypeArg(a[2]); ok {
			target = t
		}
	}
	miss := any(nil)
	if target == types.String {
		miss = ""
	}
	v, err := types.ParseJSON(str(a[1]))
	if err != nil {
		return miss
	}
	v, ok := walkJSONPath(v, str(a[0]))
	if !ok || v == nil {
		return miss
	}
	switch target {
	case types.String:
		return str(v)
	case types.Dynamic:
		return v
	}
	return Convert(v, target)
}

func walkJSONPath(v any, path string) (any, bool) {
	path = strings.TrimSpace(path)
	if !strings.HasPrefix(path, "$") {
		return nil, false
	}
	p := path[1:]
	for p != "" {
		switch p[0] {
		case '.':
			p = p[1:]
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			b, ok := v.(*types.Bag)
			if !ok {
				return nil, false
			}
			if v, ok = b.Get(p[:end]); !ok {
				return nil, false
			}
			p = p[end:]
		case '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return nil, false
			}
			key := strings.TrimSpace(p[1:end])
			p = p[end+1:]
			if len(key) >= 2 && (key[0] == '\'' || key[0] == '"') {
				b, ok := v.(*types.Bag)
				if !ok {
					return nil, false
				}
				if v, ok = b.Get(key[1 : len(key)-1]); !ok {
					return nil, false
				}
				continue
			}
			i, err := strconv.Atoi(key)
			arr, ok := v.([]any)
			if err != nil || !ok {
				return nil, false
			}
			if i < 0 {
				i += len(arr)
			}
			if i < 0 || i >= len(arr) {
				return nil, false
			}
			v = arr[i]
		default:
			return nil, false
		}
	}
	return v, true
}

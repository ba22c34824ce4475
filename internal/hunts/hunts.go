// Package hunts is huntql's built-in library of hunting queries: KQL files
// embedded in the binary, each opening with a header of // comment metadata.
//
// A header is a run of comment lines at the top of the file:
//
//	// title: One line saying what the hunt finds
//	// description: Free text, which may go on over
//	//   indented continuation lines.
//	// mitre: T1562.001 (notes), T1133
//	// tables: DeviceNetworkEvents, DeviceInfo
//
// The query is everything after the header. The comments stay in Query, so
// the text runs as it is.
package hunts

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

//go:embed queries/*.kql
var files embed.FS

// Hunt is one hunting query of the library.
type Hunt struct {
	// Name is the file name without .kql, such as connectivity-failures-by-domain.
	Name string
	// Title is a one-line summary; Description says what the hunt finds and
	// how to read its results.
	Title       string
	Description string
	// Mitre lists MITRE ATT&CK technique ids (T1562.001); MitreNotes keeps
	// the header's full text, with any notes.
	Mitre      []string
	MitreNotes string
	// Tables lists the tables the query reads.
	Tables []string
	// Query is the whole file text, header included.
	Query string
}

var library = mustLoad()

// List returns every hunt, sorted by name.
func List() []Hunt {
	out := make([]Hunt, len(library))
	copy(out, library)
	return out
}

// Get returns the hunt called name.
func Get(name string) (Hunt, bool) {
	for _, h := range library {
		if h.Name == name {
			return h, true
		}
	}
	return Hunt{}, false
}

// Names returns the hunts' names, sorted.
func Names() []string {
	names := make([]string, len(library))
	for i, h := range library {
		names[i] = h.Name
	}
	return names
}

func mustLoad() []Hunt {
	hs, err := load(files)
	if err != nil {
		panic(err)
	}
	return hs
}

// load parses every queries/*.kql file of fsys.
func load(fsys fs.FS) ([]Hunt, error) {
	names, err := fs.Glob(fsys, "queries/*.kql")
	if err != nil {
		return nil, err
	}
	var hs []Hunt
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		h, err := Parse(strings.TrimSuffix(path.Base(name), ".kql"), string(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		hs = append(hs, h)
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].Name < hs[j].Name })
	return hs, nil
}

var techniqueID = regexp.MustCompile(`\bT\d{4}(?:\.\d{3})?\b`)

// Parse reads the metadata header of a hunt's text. It requires a title,
// a description and at least one table.
func Parse(name, text string) (Hunt, error) {
	h := Hunt{Name: name, Query: text}
	fields := map[string]*string{}
	var title, desc, mitre, tables string
	fields["title"], fields["description"] = &title, &desc
	fields["mitre"], fields["tables"] = &mitre, &tables
	var cur *string
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if !strings.HasPrefix(line, "//") {
			break
		}
		body := strings.TrimPrefix(line, "//")
		if strings.HasPrefix(body, "  ") && cur != nil {
			*cur += " " + strings.TrimSpace(body)
			continue
		}
		key, value, ok := strings.Cut(strings.TrimSpace(body), ":")
		dst := fields[strings.ToLower(strings.TrimSpace(key))]
		if !ok || dst == nil {
			return h, fmt.Errorf("line %d: expected a header line `// key: value` "+
				"with key title, description, mitre or tables, found %q", n+1, line)
		}
		if *dst != "" {
			return h, fmt.Errorf("line %d: duplicate header key %q", n+1, key)
		}
		*dst = strings.TrimSpace(value)
		cur = dst
	}
	h.Title, h.Description, h.MitreNotes = title, desc, mitre
	h.Mitre = techniqueID.FindAllString(mitre, -1)
	for _, t := range strings.Split(tables, ",") {
		if t = strings.TrimSpace(t); t != "" {
			h.Tables = append(h.Tables, t)
		}
	}
	switch {
	case h.Title == "":
		return h, fmt.Errorf("missing `// title:` header line")
	case h.Description == "":
		return h, fmt.Errorf("missing `// description:` header line")
	case len(h.Tables) == 0:
		return h, fmt.Errorf("missing `// tables:` header line")
	}
	return h, nil
}

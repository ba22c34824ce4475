package functions

import "sync"

// This file registers the obsolete and alternative names Kusto still
// accepts for functions and aggregates (Kusto.Language lists them as hidden
// or obsolete symbols). They are registered on the first lookup, once every
// file's init has registered the functions they stand for.

var obsoleteScalars = map[string]string{
	"arraylength":   "array_length",
	"datepart":      "datetime_part",
	"parseurlquery": "parse_urlquery",
	"to_utf8":       "unicode_codepoints_from_string",
	"totime":        "totimespan",
	"weekofyear":    "week_of_year",
}

var obsoleteAggregates = map[string]string{
	"anyif":           "take_anyif",
	"cnt":             "count",
	"make_dictionary": "make_bag",
}

var aliasOnce sync.Once

// registerObsolete registers the names above for the functions that exist.
func registerObsolete() {
	for old, name := range obsoleteScalars {
		if f, ok := scalars[name]; ok {
			if _, taken := scalars[old]; !taken {
				alias(old, f)
			}
		}
	}
	for old, name := range obsoleteAggregates {
		if a, ok := aggregates[name]; ok {
			if _, taken := aggregates[old]; !taken {
				aggAlias(old, a)
			}
		}
	}
}

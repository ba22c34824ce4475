package functions

// This file lists the Kusto functions that have no meaning outside a Kusto
// cluster (cross-cluster references, stored objects, undocumented storage
// metadata) or outside a graph query (the pattern functions of graph-match,
// which sema binds there).
// Semantic analysis reports their use as an error rather than as an
// unknown name.

var unavailable = map[string]string{
	"cluster":             "huntql reads local files, not Kusto clusters",
	"database":            "huntql reads local files, not Kusto databases",
	"external_table":      "huntql has no external tables",
	"materialized_view":   "huntql has no materialized views",
	"stored_query_result": "huntql has no stored query results",
	"entity_group":        "huntql has no entity groups",
	"graph":               "huntql has no persistent graphs",
	"all":                 "graph functions apply only in graph-match and graph-shortest-paths",
	"any":                 "graph functions apply only in graph-match and graph-shortest-paths",
	"map":                 "graph functions apply only in graph-match and graph-shortest-paths",
	"labels":              "graph functions apply only in graph-match and graph-shortest-paths",
	"inner_nodes":         "graph functions apply only in graph-match and graph-shortest-paths",
	"node_id":             "graph functions apply only in graph-match and graph-shortest-paths",
	"node_degree_in":      "graph functions apply only in graph-match and graph-shortest-paths",
	"node_degree_out":     "graph functions apply only in graph-match and graph-shortest-paths",

	// row_id() is in Kusto's analyzer (no arguments, a string) beside
	// extent_id() and ingestion_time(), but no reference page documents what
	// it returns, so there is nothing to reproduce.
	"row_id": "Kusto's reference does not document it, so its value cannot be reproduced",
}

// Unavailable reports whether name is a Kusto function that huntql
// deliberately does not provide, and why.
func Unavailable(name string) (reason string, ok bool) {
	reason, ok = unavailable[name]
	return reason, ok
}

// UnavailableNames returns the names Unavailable knows.
func UnavailableNames() []string { return keys(unavailable) }

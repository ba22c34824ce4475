package schema

import "strings"

// watchlistPrefix starts the internal table name of a Sentinel watchlist;
// the colon keeps it from clashing with any table a query can name.
const watchlistPrefix = "watchlist:"

// WatchlistTable returns the internal table name under which the data set
// holds the rows of the Sentinel watchlist alias (read by _GetWatchlist).
func WatchlistTable(alias string) string { return watchlistPrefix + alias }

// IsWatchlistTable reports whether table names a watchlist's rows.
func IsWatchlistTable(table string) bool { return strings.HasPrefix(table, watchlistPrefix) }

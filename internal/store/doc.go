// Package store keeps Defender and Sentinel telemetry in a durable,
// columnar store on local disk and serves it to queries.
//
// A store is a directory:
//
//	manifest.json                          the committed state
//	LOCK                                   held (flock) by the one writer
//	<Table>/day=<YYYY-MM-DD>/<seq>-<n>.parquet
//	quarantine/<seq>.jsonl                 records that could not be stored
//
// Each Parquet file (LZ4) holds one table's rows of one UTC day of the
// table's time column (Timestamp, else TimeGenerated; day=none without
// one), written by commit seq. The manifest names every committed file
// with its rows, time range and short string bounds; the sources read,
// each with its identity and how far it was read; and the quarantine.
// Nothing the manifest does not name is part of the store.
//
// A commit (Writer.commit) writes its files under temporary names, syncs
// and renames them, then writes a new manifest to a temporary file, syncs
// it and renames it over the old one, and syncs the directory; a crash at
// any point leaves the previous commit, and OpenWriter removes what the
// interrupted one left. Sources' positions are committed with the rows
// read from them, so an ingest resumes exactly where its last commit ended
// and records are neither lost nor doubled; repeats across sources are
// dropped by each record's key (see keyColumns), kept in the hidden column
// _huntql_key.
//
// A Snapshot reads one manifest: later commits do not change what it
// sees. Its ReadBounded skips files and row groups that plan.Bounds rule
// out by their statistics and dictionaries, and drops the rows of the
// others that fail a bound on a column read. Row groups are decoded on
// GOMAXPROCS goroutines, pages straight into typed vectors (string columns
// keep their dictionaries), and handed on in file and row-group order.
//
// The package never prints; Writer logs through the *slog.Logger it is
// given.
package store

package source

import (
	"path/filepath"
	"strings"

	"github.com/huntql/huntql/internal/schema"
)

// storagePrefix starts the name of the Storage container (and so of a
// folder in a downloaded copy) into which Defender's Streaming API writes
// one table: insights-logs-advancedhunting-devicenetworkevents holds
// .../y=2025/m=05/d=07/h=16/m=00/PT1H.json blobs of DeviceNetworkEvents.
const storagePrefix = "insights-logs-advancedhunting-"

// exportPrefix starts the container into which a Log Analytics workspace
// data export rule writes one table as JSON lines of rows:
// am-devicenetworkevents/WorkspaceResourceId=.../y=.../PT05M.json. It
// counts only before a built-in table's name, as "am-" is a common start.
const exportPrefix = "am-"

// TODO: a table the built-in schema lacks is named in lower case by its
// container but in mixed case by its records' categories, so its lines
// without a category land in a table of their own.

// storageTable returns the table that a Storage container named in path
// (by Defender's Streaming API or a Log Analytics data export) holds,
// spelled as the built-in schema spells it, or "" when no folder (or the
// file name) of path is such a container. The innermost wins.
func storageTable(path string) string {
	parts := strings.Split(filepath.ToSlash(path), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		p := parts[i]
		if len(p) > len(storagePrefix) && strings.EqualFold(p[:len(storagePrefix)], storagePrefix) {
			name, _, _ := strings.Cut(p[len(storagePrefix):], ".")
			if name != "" {
				return canonicalTable(name)
			}
		}
		if len(p) > len(exportPrefix) && strings.EqualFold(p[:len(exportPrefix)], exportPrefix) {
			name, _, _ := strings.Cut(p[len(exportPrefix):], ".")
			if t, ok := schema.Canonical(name); ok {
				return t
			}
		}
	}
	return ""
}

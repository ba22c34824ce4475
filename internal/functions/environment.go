package functions

import (
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/huntql/huntql/internal/types"
)

// This file registers the functions that describe the environment a Kusto
// query runs in (cluster, database, principal, ingestion cursors, extents).
// huntql runs locally over files, so they return fixed local answers of
// Kusto's documented types: the database is "huntql", the principal is the
// local user "huntql" and belongs to no group, all data was ingested before
// the current cursor, and every row lies in one unnamed extent.

// LocalDatabase is what current_database() returns.
const LocalDatabase = "huntql"

func init() {
	scalar("current_cluster_endpoint", func(_ *Context, _ []any) any {
		return "localhost"
	}, " -> string")
	scalar("current_database", func(_ *Context, _ []any) any {
		return LocalDatabase
	}, " -> string")
	scalar("current_principal", func(_ *Context, _ []any) any {
		return "local=huntql"
	}, " -> string")
	scalar("current_principal_details", func(_ *Context, _ []any) any {
		// Kusto's fields, with null where a local user has no value.
		b := types.NewBag()
		b.Set("UserPrincipalName", nil)
		b.Set("IdentityProvider", "local")
		b.Set("Authority", nil)
		b.Set("Mfa", "False")
		b.Set("Type", "Local")
		b.Set("DisplayName", "huntql")
		b.Set("ObjectId", nil)
		b.Set("FQN", "local=huntql")
		b.Set("Notes", nil)
		return b
	}, " -> dynamic")
	scalar("current_principal_is_member_of", func(_ *Context, _ []any) any {
		return false
	}, "StringOrArray* -> bool")
	cursor := scalar("cursor_current", func(_ *Context, _ []any) any {
		return "0"
	}, " -> string")
	alias("current_cursor", cursor)
	// Every row was ingested at cursor "0": after "" (no cursor) and at or
	// before any cursor given.
	scalar("cursor_after", func(_ *Context, a []any) any {
		return str(a[0]) == ""
	}, "string -> bool")
	scalar("cursor_before_or_at", func(_ *Context, a []any) any {
		return str(a[0]) != ""
	}, "string -> bool")
	extent := scalar("extent_id", func(_ *Context, _ []any) any {
		return uuid.Nil
	}, " -> guid")
	alias("extentid", extent)
	scalar("extent_tags", func(_ *Context, _ []any) any {
		return []any{}
	}, " -> dynamic")
	scalar("estimate_data_size", func(_ *Context, a []any) any {
		n := int64(0)
		for _, v := range a {
			n += dataSize(v)
		}
		return n
	}, "Scalar* -> long")
}

// dataSize estimates the bytes a value takes: its fixed width, a string's
// UTF-8 length, a dynamic value's JSON length; null takes none.
func dataSize(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case int32:
		return 4
	case int64, float64, types.Date, types.Duration:
		return 8
	case uuid.UUID, decimal.Decimal:
		return 16
	case string:
		return int64(len(x))
	}
	return int64(len(types.FormatDynamic(v)))
}

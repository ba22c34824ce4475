package plugin

import (
	"crypto/sha1"
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// This file holds the data-backed built-in functions of Defender advanced
// hunting (DeviceFromIP, AssignedIPAddresses, FileProfile) and Sentinel
// (_GetWatchlist). Microsoft answers them from its own stores; huntql
// answers them from the tables of the loaded data, which semantic analysis
// passes as extra tabular arguments named "$" followed by the table name,
// after the user's arguments.

// TableRead names a table (and the columns of it) that a built-in reads.
type TableRead struct {
	Table   string
	Columns []string
}

func init() {
	Register(&Plugin{Name: "DeviceFromIP", Builtin: true, Bind: bindDeviceFromIP,
		Run: runDeviceFromIP, Reads: []TableRead{networkInfoRead}})
	Register(&Plugin{Name: "AssignedIPAddresses", Builtin: true,
		Bind: bindAssignedIPs, Run: runAssignedIPs, Reads: []TableRead{networkInfoRead}})
	Register(&Plugin{Name: "FileProfile", Builtin: true, Bind: bindFileProfile,
		Run: runFileProfile, Reads: fileProfileReads})
	Register(&Plugin{Name: "_GetWatchlist", Builtin: true, Bind: bindWatchlist,
		Run: runWatchlist})
}

var networkInfoRead = TableRead{Table: "DeviceNetworkInfo", Columns: []string{
	"Timestamp", "DeviceId", "DeviceName", "NetworkAdapterName", "MacAddress",
	"NetworkAdapterType", "ConnectedNetworks", "IPAddresses"}}

// userArgs returns the arguments the user wrote (without the tables a
// built-in reads).
func userArgs(args []Arg) []Arg {
	for i, a := range args {
		if strings.HasPrefix(a.Name, "$") {
			return args[:i]
		}
	}
	return args
}

// readTable returns the table named name that a built-in reads.
func readTable(r *Run, name string) *Table {
	for i, a := range r.Binding.Args {
		if a.Name == "$"+name {
			return r.Args[i].Table
		}
	}
	return nil
}

// col returns the vector of the named column of t, or nil.
func (t *Table) col(name string) *column.Vector {
	if t == nil {
		return nil
	}
	if i := t.Schema.Index(name); i >= 0 {
		return t.Rows.Cols[i]
	}
	return nil
}

// str returns row i of v as a string ("" for null or a missing column).
func str(v *column.Vector, i int) string {
	if v == nil {
		return ""
	}
	return formatCell(v.Value(i))
}

// assignment is one IP address of one network adapter report.
type assignment struct {
	row int // the DeviceNetworkInfo row
	ip  string
	typ string // the address type: Private, Public, ...
}

// addresses returns the IP addresses of DeviceNetworkInfo row i, from its
// IPAddresses JSON array of {IPAddress, SubnetPrefix, AddressType}.
func addresses(t *Table, i int) []assignment {
	raw := t.col("IPAddresses").Value(i)
	if s, ok := raw.(string); ok {
		v, err := types.ParseJSON(s)
		if err != nil {
			return nil
		}
		raw = v
	}
	arr, _ := raw.([]any)
	var out []assignment
	for _, e := range arr {
		bag, ok := e.(*types.Bag)
		if !ok {
			continue
		}
		ip, _ := bag.Get("IPAddress")
		typ, _ := bag.Get("AddressType")
		if s, ok := ip.(string); ok && s != "" {
			t, _ := typ.(string)
			out = append(out, assignment{row: i, ip: s, typ: t})
		}
	}
	return out
}

// latestReports returns the DeviceNetworkInfo rows that are the latest
// report of their device and adapter at or before at (nil: any time),
// among the rows keep accepts.
func latestReports(t *Table, at any, keep func(i int) bool) []int {
	if t == nil {
		return nil
	}
	limit, bounded := ticks(at)
	ts := t.col("Timestamp")
	best := map[string]int{}
	var order []string
	for i := 0; i < t.N(); i++ {
		if !keep(i) {
			continue
		}
		tick, ok := ticks(ts.Value(i))
		if !ok || (bounded && tick > limit) {
			continue
		}
		key := str(t.col("DeviceId"), i) + "\x00" + str(t.col("NetworkAdapterName"), i) +
			"\x00" + str(t.col("MacAddress"), i)
		j, seen := best[key]
		if !seen {
			order = append(order, key)
		}
		if prev, _ := ticks(ts.Value(j)); !seen || tick > prev {
			best[key] = i
		}
	}
	out := make([]int, 0, len(order))
	for _, k := range order {
		out = append(out, best[k])
	}
	sort.Ints(out)
	return out
}

// timeArg checks an optional datetime argument at position i.
func timeArg(args []Arg, i int) error {
	if i < len(args) && args[i].Type != types.Datetime {
		return argErrorf(i, "expected a datetime, found %s", args[i].Type)
	}
	return nil
}

// bindDeviceFromIP binds DeviceFromIP(ip [, time]), a table of IP and
// DeviceId, or T | invoke DeviceFromIP([ip [, time]]), which adds DeviceId
// to T (ip defaults to T's column IP).
func bindDeviceFromIP(b *Binding) (*Bound, error) {
	args := userArgs(b.Args)
	if len(args) > 2 || (b.Input == nil && len(args) == 0) {
		return nil, argErrorf(-1, "expected an IP address and an optional datetime, "+
			"found %d arguments", len(args))
	}
	if len(args) > 0 && args[0].Type != types.String {
		return nil, argErrorf(0, "expected a string IP address, found %s", args[0].Type)
	}
	if err := timeArg(args, 1); err != nil {
		return nil, err
	}
	if b.Input == nil {
		return &Bound{Out: column.Schema{{Name: "IP", Type: types.String},
			{Name: "DeviceId", Type: types.String}}}, nil
	}
	if len(args) == 0 && b.Input.Index("IP") < 0 {
		return nil, argErrorf(-1, "the input has no column IP; name the address column "+
			"as DeviceFromIP(Column)")
	}
	out := append(column.Schema(nil), b.Input...)
	return &Bound{Out: append(out, column.Field{Name: "DeviceId", Type: types.String})}, nil
}

// devicesByIP returns the devices whose latest adapter reports at or before
// at hold ip.
func devicesByIP(t *Table, ip string, at any) []string {
	var out []string
	seen := map[string]bool{}
	for _, i := range latestReports(t, at, func(int) bool { return true }) {
		for _, a := range addresses(t, i) {
			id := str(t.col("DeviceId"), i)
			if a.ip == ip && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

func runDeviceFromIP(r *Run) (*Output, error) {
	info := readTable(r, "DeviceNetworkInfo")
	args := userArgs(r.Binding.Args)
	at := func(i int) any {
		if len(args) > 1 {
			return r.Args[1].At(i)
		}
		return nil
	}
	bld := newBuilder(r.Bound.Out)
	if r.Input == nil {
		ip, _ := r.Args[0].At(0).(string)
		for _, id := range devicesByIP(info, ip, at(0)) {
			bld.add(ip, id)
		}
		return bld.table(), nil
	}
	in := r.Input
	ipCol := in.col("IP")
	for i := 0; i < in.N(); i++ {
		ip := str(ipCol, i)
		if len(args) > 0 {
			ip, _ = r.Args[0].At(i).(string)
		}
		for _, id := range devicesByIP(info, ip, at(i)) {
			for c := range in.Schema {
				bld.copyCol(c, in.Rows.Cols[c], i)
			}
			bld.cols[len(in.Schema)].Append(id)
			bld.n++
		}
	}
	return bld.table(), nil
}

var assignedIPCols = column.Schema{{Name: "Timestamp", Type: types.Datetime},
	{Name: "DeviceId", Type: types.String}, {Name: "DeviceName", Type: types.String},
	{Name: "IPAddress", Type: types.String}, {Name: "IPType", Type: types.String},
	{Name: "NetworkAdapterType", Type: types.String},
	{Name: "ConnectedNetworks", Type: types.String}}

// bindAssignedIPs binds AssignedIPAddresses(device [, time]).
func bindAssignedIPs(b *Binding) (*Bound, error) {
	args := userArgs(b.Args)
	if b.Input != nil {
		return nil, argErrorf(-1, "AssignedIPAddresses is called as a table, not invoked")
	}
	if len(args) < 1 || len(args) > 2 {
		return nil, argErrorf(-1, "expected a DeviceId or DeviceName and an optional "+
			"datetime, found %d arguments", len(args))
	}
	if args[0].Type != types.String {
		return nil, argErrorf(0, "expected a string DeviceId or DeviceName, found %s",
			args[0].Type)
	}
	if err := timeArg(args, 1); err != nil {
		return nil, err
	}
	return &Bound{Out: assignedIPCols}, nil
}

// runAssignedIPs lists the addresses of the device's latest adapter
// reports at or before the time.
func runAssignedIPs(r *Run) (*Output, error) {
	info := readTable(r, "DeviceNetworkInfo")
	device, _ := r.Args[0].At(0).(string)
	var at any
	if len(userArgs(r.Binding.Args)) > 1 {
		at = r.Args[1].At(0)
	}
	bld := newBuilder(r.Bound.Out)
	if info == nil {
		return bld.table(), nil
	}
	match := func(i int) bool {
		return str(info.col("DeviceId"), i) == device ||
			strings.EqualFold(str(info.col("DeviceName"), i), device)
	}
	for _, i := range latestReports(info, at, match) {
		for _, a := range addresses(info, i) {
			bld.add(info.col("Timestamp").Value(i), str(info.col("DeviceId"), i),
				str(info.col("DeviceName"), i), a.ip, a.typ,
				str(info.col("NetworkAdapterType"), i), str(info.col("ConnectedNetworks"), i))
		}
	}
	return bld.table(), nil
}

// bindWatchlist binds _GetWatchlist('alias'); semantic analysis passes the
// watchlist's rows as the table argument "$watchlist".
func bindWatchlist(b *Binding) (*Bound, error) {
	args := userArgs(b.Args)
	if b.Input != nil || len(args) != 1 || args[0].Type != types.String || !args[0].Known {
		return nil, argErrorf(-1, "expected _GetWatchlist('alias') with a constant alias")
	}
	var items column.Schema
	for _, a := range b.Args {
		if a.Name == "$watchlist" {
			items = a.Table
		}
	}
	out := column.Schema{{Name: "_DTItemId", Type: types.String},
		{Name: "LastUpdatedTimeUTC", Type: types.Datetime},
		{Name: "SearchKey", Type: types.String}, {Name: "WatchlistItem", Type: types.Dynamic}}
	for _, f := range items {
		if out.Index(f.Name) < 0 {
			out = append(out, column.Field{Name: f.Name, Type: types.String})
		}
	}
	return &Bound{Out: out}, nil
}

// runWatchlist returns the watchlist's rows as Sentinel does: an item id,
// the update time (unknown offline: null), the search key (the first
// column), the item as a property bag, then each column as a string.
func runWatchlist(r *Run) (*Output, error) {
	alias, _ := r.Args[0].At(0).(string)
	t := readTable(r, "watchlist")
	bld := newBuilder(r.Bound.Out)
	for i := 0; i < t.N(); i++ {
		bag := types.NewBag()
		vals := make([]string, len(t.Schema))
		for c, f := range t.Schema {
			vals[c] = formatCell(t.Rows.Cols[c].Value(i))
			bag.Set(f.Name, vals[c])
		}
		id := uuid.NewHash(sha1.New(), uuid.NameSpaceURL,
			[]byte(fmt.Sprintf("huntql-watchlist:%s:%d", alias, i)), 5)
		key := ""
		if len(vals) > 0 {
			key = vals[0]
		}
		row := []any{id.String(), nil, key, bag}
		for c := range t.Schema {
			if r.Bound.Out.Index(t.Schema[c].Name) >= 4 {
				row = append(row, vals[c])
			}
		}
		bld.add(row...)
	}
	return bld.table(), nil
}

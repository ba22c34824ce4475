package plugin

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

func init() {
	Register(&Plugin{Name: "ipv4_lookup", Bind: bindIPLookup(false), Run: runIPLookup(false)})
	Register(&Plugin{Name: "ipv6_lookup", Bind: bindIPLookup(true), Run: runIPLookup(true)})
}

// ipLookupArgs are the arguments of ipv4_lookup and ipv6_lookup:
// (LookupTable, SourceIPKey, LookupKey [, ExtraKey ...] [, return_unmatched]).
type ipLookupArgs struct {
	table     column.Schema
	src       int   // input column of the address
	key       int   // lookup column of the network
	extraIn   []int // input columns of the extra keys
	extraLook []int // lookup columns of the extra keys, by name
	unmatched bool
}

func parseIPLookup(b *Binding) (*ipLookupArgs, error) {
	if len(b.Args) < 3 {
		return nil, argErrorf(-1, "expected LookupTable, SourceIPKey, IPLookupKey and "+
			"optional extra keys, found %d arguments", len(b.Args))
	}
	if !b.Args[0].IsTable() {
		return nil, argErrorf(0, "expected a lookup table")
	}
	p := &ipLookupArgs{table: b.Args[0].Table, src: b.Args[1].Col}
	if p.src < 0 || b.Args[1].Type != types.String {
		return nil, argErrorf(1, "expected a string column of the input holding addresses")
	}
	// The lookup key names a column of the lookup table; sema bound it
	// against the input, so take the name from the argument's column.
	name, err := lookupName(b, 2)
	if err != nil {
		return nil, err
	}
	if p.key = p.table.Index(name); p.key < 0 {
		return nil, argErrorf(2, "the lookup table has no column %s", name)
	}
	if t := p.table[p.key].Type; t != types.String {
		return nil, argErrorf(2, "the lookup column %s must be a string, found %s", name, t)
	}
	for i := 3; i < len(b.Args); i++ {
		a := b.Args[i]
		if a.Name == "return_unmatched" {
			v, _ := a.Value.(bool)
			if !a.Const || a.Type != types.Bool {
				return nil, argErrorf(i, "return_unmatched expects a constant bool")
			}
			p.unmatched = v
			continue
		}
		if a.Name != "" {
			return nil, argErrorf(i, "unknown parameter %s; expected return_unmatched", a.Name)
		}
		if a.Const && a.Type == types.Bool && i == len(b.Args)-1 {
			// return_unmatched may also be given by position, last.
			p.unmatched, _ = a.Value.(bool)
			continue
		}
		name, err := lookupName(b, i)
		if err != nil {
			return nil, err
		}
		j := p.table.Index(name)
		if j < 0 {
			return nil, argErrorf(i, "the lookup table has no column %s", name)
		}
		p.extraIn = append(p.extraIn, a.Col)
		p.extraLook = append(p.extraLook, j)
	}
	return p, nil
}

// lookupName returns the column name argument i names.
func lookupName(b *Binding, i int) (string, error) {
	if c := b.Args[i].Col; c >= 0 {
		return b.Input[c].Name, nil
	}
	if b.Args[i].Name == "" && b.Args[i].Unbound != "" {
		return b.Args[i].Unbound, nil
	}
	return "", argErrorf(i, "expected a column name")
}

func bindIPLookup(v6 bool) func(b *Binding) (*Bound, error) {
	return func(b *Binding) (*Bound, error) {
		p, err := parseIPLookup(b)
		if err != nil {
			return nil, err
		}
		look := renameApart(lookupCols(p), b.Input)
		if v6 {
			// ipv6_lookup puts the lookup columns first, as the examples
			// of its documentation show (ipv4_lookup's put them last).
			return &Bound{Out: append(look, b.Input...)}, nil
		}
		return &Bound{Out: append(append(column.Schema(nil), b.Input...), look...)}, nil
	}
}

// lookupCols returns the lookup table's columns other than the extra keys.
func lookupCols(p *ipLookupArgs) column.Schema {
	var out column.Schema
	for j, f := range p.table {
		if !containsInt(p.extraLook, j) {
			out = append(out, f)
		}
	}
	return out
}

// renameApart renames the columns of cols whose names the columns of taken
// (or earlier columns of cols) hold, with the smallest numeric suffix free,
// as Kusto.Language names a lookup column n that the input has as n1.
func renameApart(cols, taken column.Schema) column.Schema {
	used := map[string]bool{}
	for _, f := range taken {
		used[f.Name] = true
	}
	out := make(column.Schema, len(cols))
	for i, f := range cols {
		name := f.Name
		for k := 1; used[name]; k++ {
			name = fmt.Sprintf("%s%d", f.Name, k)
		}
		used[name] = true
		f.Name = name
		out[i] = f
	}
	return out
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// runIPLookup joins each input row with the lookup row whose network holds
// its address, the most specific network when several do.
func runIPLookup(v6 bool) func(r *Run) (*Output, error) {
	return func(r *Run) (*Output, error) {
		p, err := parseIPLookup(r.Binding)
		if err != nil {
			return nil, err
		}
		look := r.Args[0].Table
		nets := make([]netip.Prefix, look.N())
		valid := make([]bool, look.N())
		for j := range nets {
			s, _ := look.Rows.Cols[p.key].Value(j).(string)
			nets[j], valid[j] = parseNetwork(s, v6)
		}
		in := r.Input
		bld := newBuilder(r.Bound.Out)
		nin := len(in.Schema)
		for i := 0; i < in.N(); i++ {
			s, _ := in.Rows.Cols[p.src].Value(i).(string)
			addr, ok := parseAddr(s, v6)
			best := -1
			for j := range nets {
				if !ok || !valid[j] || !nets[j].Contains(addr) {
					continue
				}
				if !extraMatch(in, i, look, j, p) {
					continue
				}
				if best < 0 || nets[j].Bits() > nets[best].Bits() {
					best = j
				}
			}
			if best < 0 && !p.unmatched {
				continue
			}
			c := 0
			if v6 {
				c = len(r.Bound.Out) - nin
			}
			for k := 0; k < nin; k++ {
				bld.copyCol(c+k, in.Rows.Cols[k], i)
			}
			c = nin
			if v6 {
				c = 0
			}
			for j := range look.Schema {
				if containsInt(p.extraLook, j) {
					continue
				}
				if best < 0 {
					bld.cols[c].AppendNull()
				} else {
					bld.copyCol(c, look.Rows.Cols[j], best)
				}
				c++
			}
			bld.n++
		}
		return bld.table(), nil
	}
}

// extraMatch reports whether the extra keys of input row i equal those of
// lookup row j.
func extraMatch(in *Table, i int, look *Table, j int, p *ipLookupArgs) bool {
	for k := range p.extraIn {
		a := in.Rows.Cols[p.extraIn[k]].Value(i)
		b := look.Rows.Cols[p.extraLook[k]].Value(j)
		if a == nil || b == nil || formatCell(a) != formatCell(b) {
			return false
		}
	}
	return true
}

// parseNetwork reads a CIDR network or a single address.
func parseNetwork(s string, v6 bool) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "/") {
		a, ok := parseAddr(s, v6)
		if !ok {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	if !v6 && !p.Addr().Is4() {
		return netip.Prefix{}, false
	}
	if v6 && p.Addr().Is4() {
		p = netip.PrefixFrom(netip.AddrFrom16(p.Addr().As16()), p.Bits()+96)
	}
	return p.Masked(), true
}

// parseAddr reads an IPv4 address (ipv4_lookup) or an IPv6 address, IPv4
// ones mapped into IPv6 (ipv6_lookup).
func parseAddr(s string, v6 bool) (netip.Addr, bool) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}, false
	}
	if !v6 {
		a = a.Unmap()
		return a, a.Is4()
	}
	if a.Is4() {
		a = netip.AddrFrom16(a.As16())
	}
	return a, true
}

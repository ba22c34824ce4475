package functions

import (
	"net/netip"
	"strconv"
	"strings"
)

// This file registers the IPv4 and IPv6 functions. An address may carry a
// CIDR suffix (10.0.0.0/8); text that is not an address yields null.

func init() {
	scalar("parse_ipv4", func(_ *Context, a []any) any {
		p, ok := parsePrefix(str(a[0]), true)
		if !ok {
			return nil
		}
		return ipv4Long(p.Masked().Addr())
	}, "string -> long")
	scalar("parse_ipv4_mask", func(_ *Context, a []any) any {
		p, ok := withMask(str(a[0]), a[1], true)
		if !ok {
			return nil
		}
		return ipv4Long(p.Masked().Addr())
	}, "string, long -> long")
	scalar("ipv4_is_private", func(_ *Context, a []any) any {
		p, ok := parsePrefix(str(a[0]), true)
		if !ok {
			return nil
		}
		return p.Addr().IsPrivate()
	}, "string -> bool")
	scalar("ipv4_is_in_range", func(_ *Context, a []any) any {
		return inRange(str(a[0]), str(a[1]), true)
	}, "string, string -> bool")
	scalar("ipv6_is_in_range", func(_ *Context, a []any) any {
		return inRange(str(a[0]), str(a[1]), false)
	}, "string, string -> bool")
	// ipv4_is_in_any_range and ipv6_is_in_any_range: null when the address
	// or a range is not one (their docs), else whether any range holds it.
	anyRange := func(v4 bool) func(_ *Context, a []any) any {
		return func(_ *Context, a []any) any {
			ip := str(a[0])
			if _, ok := parsePrefix(ip, v4); !ok {
				return nil
			}
			found := false
			for _, r := range flattenStrings(a[1:]) {
				b, ok := inRange(ip, r, v4).(bool)
				if !ok {
					return nil
				}
				found = found || b
			}
			return found
		}
	}
	scalar("ipv4_is_in_any_range", anyRange(true), "StringOrDynamic, string* -> bool",
		"StringOrDynamic, Dynamic -> bool")
	scalar("ipv6_is_in_any_range", anyRange(false), "StringOrDynamic, string* -> bool",
		"StringOrDynamic, Dynamic -> bool")
	scalar("ipv4_compare", func(_ *Context, a []any) any { return ipCompare(a, true) },
		"string, string, long? -> long")
	scalar("ipv6_compare", func(_ *Context, a []any) any { return ipCompare(a, false) },
		"string, string, long? -> long")
	scalar("ipv4_is_match", func(_ *Context, a []any) any {
		c, ok := ipCompare(a, true).(int64)
		return boolOrNull(c == 0, ok)
	}, "string, string, long? -> bool")
	scalar("ipv6_is_match", func(_ *Context, a []any) any {
		c, ok := ipCompare(a, false).(int64)
		return boolOrNull(c == 0, ok)
	}, "string, string, long? -> bool")
	scalar("ipv4_netmask_suffix", func(_ *Context, a []any) any {
		p, ok := parsePrefix(str(a[0]), true)
		if !ok {
			return nil
		}
		return int64(p.Bits())
	}, "string -> long")
	scalar("format_ipv4", func(_ *Context, a []any) any {
		return formatIPv4(a, false)
	}, "Scalar, long? -> string")
	scalar("format_ipv4_mask", func(_ *Context, a []any) any {
		return formatIPv4(a, true)
	}, "Scalar, long -> string")
	scalar("has_ipv4", func(_ *Context, a []any) any {
		return hasIPv4(str(a[0]), []string{str(a[1])}, false)
	}, "StringOrDynamic, string -> bool")
	scalar("has_ipv4_prefix", func(_ *Context, a []any) any {
		return hasIPv4(str(a[0]), []string{str(a[1])}, true)
	}, "StringOrDynamic, string -> bool")
	scalar("has_any_ipv4", func(_ *Context, a []any) any {
		return hasIPv4(str(a[0]), flattenStrings(a[1:]), false)
	}, "StringOrDynamic, string* -> bool", "StringOrDynamic, Dynamic -> bool")
	scalar("has_any_ipv4_prefix", func(_ *Context, a []any) any {
		return hasIPv4(str(a[0]), flattenStrings(a[1:]), true)
	}, "StringOrDynamic, string* -> bool", "StringOrDynamic, Dynamic -> bool")
}

func flattenStrings(vals []any) []string {
	var out []string
	for _, v := range vals {
		if arr, ok := v.([]any); ok {
			out = append(out, flattenStrings(arr)...)
		} else if v != nil {
			out = append(out, str(v))
		}
	}
	return out
}

// parsePrefix parses an address with an optional /bits suffix.
func parsePrefix(s string, v4 bool) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	var p netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		if p, err = netip.ParsePrefix(s); err != nil {
			return p, false
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return p, false
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if v4 && !p.Addr().Is4() {
		return p, false
	}
	if !v4 && p.Addr().Is4() {
		a := netip.AddrFrom16(p.Addr().As16())
		p = netip.PrefixFrom(a, p.Bits()+96)
	}
	return p, true
}

func withMask(s string, mask any, v4 bool) (netip.Prefix, bool) {
	p, ok := parsePrefix(s, v4)
	if !ok {
		return p, false
	}
	if mask != nil {
		m, ok := asLong(mask)
		if !ok || m < 0 || m > int64(p.Addr().BitLen()) {
			return p, false
		}
		if !v4 && p.Addr().Is4In6() && strings.Count(s, ":") == 0 {
			m += 96
		}
		if int(m) < p.Bits() {
			p = netip.PrefixFrom(p.Addr(), int(m))
		}
	}
	return p, true
}

func ipv4Long(a netip.Addr) int64 {
	b := a.As4()
	return int64(b[0])<<24 | int64(b[1])<<16 | int64(b[2])<<8 | int64(b[3])
}

func inRange(ip, rng string, v4 bool) any {
	p, ok1 := parsePrefix(ip, v4)
	r, ok2 := parsePrefix(rng, v4)
	if !ok1 || !ok2 {
		return nil
	}
	return r.Masked().Contains(p.Addr())
}

// ipCompare compares two addresses under the shorter of their prefixes and
// the optional prefix argument: -1, 0 or 1.
func ipCompare(a []any, v4 bool) any {
	var mask any
	if len(a) > 2 {
		mask = a[2]
	}
	p1, ok1 := withMask(str(a[0]), mask, v4)
	p2, ok2 := withMask(str(a[1]), mask, v4)
	if !ok1 || !ok2 {
		return nil
	}
	bits := min(p1.Bits(), p2.Bits())
	x := netip.PrefixFrom(p1.Addr(), bits).Masked().Addr()
	y := netip.PrefixFrom(p2.Addr(), bits).Masked().Addr()
	return int64(x.Compare(y))
}

func formatIPv4(a []any, forceMask bool) any {
	var addr netip.Addr
	bits := 32
	if n, ok := intValue(a[0]); ok {
		if n < 0 || n > 0xffffffff {
			return ""
		}
		addr = netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	} else {
		p, ok := parsePrefix(str(a[0]), true)
		if !ok {
			return ""
		}
		addr, bits = p.Addr(), p.Bits()
	}
	if len(a) > 1 && a[1] != nil {
		m, ok := asLong(a[1])
		if !ok || m < 0 || m > 32 {
			return ""
		}
		bits = min(bits, int(m))
	}
	masked := netip.PrefixFrom(addr, bits).Masked().Addr().String()
	if forceMask {
		return masked + "/" + strconv.Itoa(bits)
	}
	return masked
}

// hasIPv4 reports whether text holds one of the addresses (or, for
// prefixes, an address starting with one) delimited by characters other
// than digits and dots.
func hasIPv4(text string, ips []string, prefix bool) any {
	for i := 0; i < len(text); {
		if !isDigit(text[i]) || i > 0 && (text[i-1] == '.' || isAlnum(text[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(text) && (isDigit(text[j]) || text[j] == '.') {
			j++
		}
		tok := strings.TrimRight(text[i:j], ".")
		delimited := i+len(tok) == len(text) || !isAlnum(text[i+len(tok)])
		if a, err := netip.ParseAddr(tok); err == nil && a.Is4() && delimited {
			for _, ip := range ips {
				if tok == ip || prefix && validIPv4Prefix(ip) && strings.HasPrefix(tok, ip) {
					return true
				}
			}
		}
		i = j
	}
	return false
}

// validIPv4Prefix reports whether p is a prefix has_ipv4_prefix accepts:
// one to three octets ending with a dot ("192.168.").
func validIPv4Prefix(p string) bool {
	if !strings.HasSuffix(p, ".") {
		return false
	}
	octets := strings.Split(strings.TrimSuffix(p, "."), ".")
	if len(octets) > 3 {
		return false
	}
	for _, o := range octets {
		n, err := strconv.Atoi(o)
		if err != nil || len(o) > 3 || n < 0 || n > 255 {
			return false
		}
	}
	return true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

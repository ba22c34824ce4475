package functions

import (
	"fmt"
	"math/bits"
	"net/netip"
	"strings"
)

// This file registers parse_ipv6, parse_ipv6_mask and
// ipv4_range_to_cidr_list.

func init() {
	scalar("parse_ipv6", func(_ *Context, a []any) any {
		return canonicalIPv6(str(a[0]), -1)
	}, "string -> string")
	scalar("parse_ipv6_mask", func(_ *Context, a []any) any {
		m, ok := asLong(a[1])
		if a[1] == nil || !ok || m < 0 || m > 128 {
			return ""
		}
		return canonicalIPv6(str(a[0]), int(m))
	}, "string, long -> string")
	scalar("ipv4_range_to_cidr_list", evalIPv4RangeToCIDR, "string, string -> dynamic")
}

// canonicalIPv6 parses an IPv6 or IPv4 address with an optional /bits
// suffix and returns it masked and written as eight groups of four hex
// digits, or "" if it is not an address. An IPv4 address (also as ::a.b.c.d)
// becomes IPv4-mapped, and its suffix counts IPv4 bits. A mask of 0 to 128
// bits narrows the suffix further; -1 means none.
func canonicalIPv6(s string, mask int) string {
	s = strings.TrimSpace(s)
	text, suffix, hasSuffix := strings.Cut(s, "/")
	addr, err := netip.ParseAddr(text)
	if err != nil || addr.Zone() != "" {
		return ""
	}
	dotted := strings.Contains(text, ".")
	b16 := addr.As16()
	if dotted && !addr.Is4() {
		// ::a.b.c.d is read as the mapped address ::ffff:a.b.c.d.
		b16[10], b16[11] = 0xff, 0xff
	}
	addr = netip.AddrFrom16(b16)
	n := 128
	if hasSuffix {
		v, ok := parseLong(suffix)
		limit := int64(128)
		if dotted {
			limit = 32
		}
		if !ok || v < 0 || v > limit || strings.TrimSpace(suffix) != suffix {
			return ""
		}
		n = int(v)
		if dotted {
			n += 96
		}
	}
	if mask >= 0 && mask < n {
		n = mask
	}
	p, err := addr.Prefix(n)
	if err != nil {
		return ""
	}
	b := p.Addr().As16()
	var sb strings.Builder
	for i := 0; i < 16; i += 2 {
		if i > 0 {
			sb.WriteByte(':')
		}
		fmt.Fprintf(&sb, "%02x%02x", b[i], b[i+1])
	}
	return sb.String()
}

// evalIPv4RangeToCIDR covers the IPv4 addresses from start to end (both
// included) with the fewest CIDR blocks, in ascending order.
func evalIPv4RangeToCIDR(_ *Context, a []any) any {
	lo, ok1 := parseIPv4(str(a[0]))
	hi, ok2 := parseIPv4(str(a[1]))
	if !ok1 || !ok2 {
		return nil
	}
	out := []any{}
	if lo > hi {
		return out
	}
	for cur := uint64(lo); cur <= uint64(hi); {
		size := 32
		if cur != 0 {
			size = bits.TrailingZeros64(cur)
		}
		size = min(size, 32)
		for size > 0 && cur+(1<<size)-1 > uint64(hi) {
			size--
		}
		ip := netip.AddrFrom4([4]byte{byte(cur >> 24), byte(cur >> 16), byte(cur >> 8), byte(cur)})
		out = append(out, fmt.Sprintf("%s/%d", ip, 32-size))
		cur += 1 << size
	}
	return out
}

func parseIPv4(s string) (uint32, bool) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil || !a.Is4() {
		return 0, false
	}
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]), true
}

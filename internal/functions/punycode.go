package functions

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// This file registers the punycode functions: punycode_from_string and
// punycode_to_string encode and decode one label as RFC 3492 defines;
// punycode_domain_to_string and punycode_domain_from_string apply them to
// each label of a host name, with the "xn--" prefix. Letter case is kept.
// Text that cannot be decoded gives an empty string.

const (
	pcBase = 36
	pcTMin = 1
	pcTMax = 26
	pcSkew = 38
	pcDamp = 700
)

var errPunycode = errors.New("invalid punycode")

func init() {
	scalar("punycode_from_string", func(_ *Context, a []any) any {
		out, err := punyEncode(str(a[0]))
		if err != nil {
			return ""
		}
		return out
	}, "string -> string")
	scalar("punycode_to_string", func(_ *Context, a []any) any {
		out, err := punyDecode(str(a[0]))
		if err != nil {
			return ""
		}
		return out
	}, "string -> string")
	scalar("punycode_domain_to_string", func(_ *Context, a []any) any {
		return mapLabels(str(a[0]), func(l string) (string, error) {
			if isASCII(l) {
				return l, nil
			}
			enc, err := punyEncode(l)
			return "xn--" + enc, err
		})
	}, "string -> string")
	scalar("punycode_domain_from_string", func(_ *Context, a []any) any {
		return mapLabels(str(a[0]), func(l string) (string, error) {
			if len(l) > 4 && strings.EqualFold(l[:4], "xn--") {
				return punyDecode(l[4:])
			}
			return l, nil
		})
	}, "string -> string")
}

// mapLabels applies f to each label of a host name, splitting at the full
// stops IDNA recognizes, and joins the results with ".".
func mapLabels(s string, f func(string) (string, error)) string {
	labels := strings.FieldsFunc(s, func(r rune) bool {
		return r == '.' || r == '\u3002' || r == '\uff0e' || r == '\uff61'
	})
	if strings.Count(s, ".")+strings.Count(s, "\u3002")+strings.Count(s, "\uff0e")+
		strings.Count(s, "\uff61") != len(labels)-1 {
		return "" // empty labels
	}
	for i, l := range labels {
		out, err := f(l)
		if err != nil {
			return ""
		}
		labels[i] = out
	}
	return strings.Join(labels, ".")
}

func punyAdapt(delta, points int, first bool) int {
	if first {
		delta /= pcDamp
	} else {
		delta /= 2
	}
	delta += delta / points
	k := 0
	for delta > ((pcBase-pcTMin)*pcTMax)/2 {
		delta /= pcBase - pcTMin
		k += pcBase
	}
	return k + (pcBase-pcTMin+1)*delta/(delta+pcSkew)
}

func punyThreshold(k, bias int) int {
	switch {
	case k <= bias:
		return pcTMin
	case k >= bias+pcTMax:
		return pcTMax
	}
	return k - bias
}

func punyDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

// punyEncode encodes s as RFC 3492 punycode, without a prefix.
func punyEncode(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errPunycode
	}
	in := []rune(s)
	var out strings.Builder
	for _, r := range in {
		if r < 0x80 {
			out.WriteRune(r)
		}
	}
	b := out.Len()
	h := b
	if b > 0 {
		out.WriteByte('-')
	}
	n, delta, bias := 0x80, 0, 72
	for h < len(in) {
		m := rune(0x7fffffff)
		for _, r := range in {
			if int(r) >= n && r < m {
				m = r
			}
		}
		if int(m)-n > (1<<31-1-delta)/(h+1) {
			return "", errPunycode
		}
		delta += (int(m) - n) * (h + 1)
		n = int(m)
		for _, r := range in {
			if int(r) < n {
				delta++
			}
			if int(r) != n {
				continue
			}
			q := delta
			for k := pcBase; ; k += pcBase {
				t := punyThreshold(k, bias)
				if q < t {
					break
				}
				out.WriteByte(punyDigit(t + (q-t)%(pcBase-t)))
				q = (q - t) / (pcBase - t)
			}
			out.WriteByte(punyDigit(q))
			bias = punyAdapt(delta, h+1, h == b)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return out.String(), nil
}

// punyDecode decodes RFC 3492 punycode (without a prefix).
func punyDecode(s string) (string, error) {
	var out []rune
	rest := s
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		for _, r := range s[:i] {
			if r >= 0x80 {
				return "", errPunycode
			}
			out = append(out, r)
		}
		rest = s[i+1:]
	}
	n, i, bias := 0x80, 0, 72
	for pos := 0; pos < len(rest); {
		oldi, w := i, 1
		for k := pcBase; ; k += pcBase {
			if pos >= len(rest) {
				return "", errPunycode
			}
			c := rest[pos]
			pos++
			var d int
			switch {
			case c >= 'a' && c <= 'z':
				d = int(c - 'a')
			case c >= 'A' && c <= 'Z':
				d = int(c - 'A')
			case c >= '0' && c <= '9':
				d = int(c-'0') + 26
			default:
				return "", errPunycode
			}
			if d > (1<<31-1-i)/w {
				return "", errPunycode
			}
			i += d * w
			t := punyThreshold(k, bias)
			if d < t {
				break
			}
			w *= pcBase - t
		}
		bias = punyAdapt(i-oldi, len(out)+1, oldi == 0)
		n += i / (len(out) + 1)
		i %= len(out) + 1
		if n > utf8.MaxRune {
			return "", errPunycode
		}
		out = append(out, 0)
		copy(out[i+1:], out[i:])
		out[i] = rune(n)
		i++
	}
	return string(out), nil
}

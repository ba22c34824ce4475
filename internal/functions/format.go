package functions

import (
	"strconv"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// This file implements format_datetime and format_timespan: a format is a
// sequence of specifiers (runs of one letter, such as yyyy, MM, HH, fff)
// and delimiters copied as they are; text in single or double quotes is
// copied too, and a backslash escapes the next character.

// formatTokens splits a format into runs of one specifier letter and
// literal text.
func formatTokens(f string, letters string, emit func(letter byte, n int, lit string)) {
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case strings.IndexByte(letters, c) >= 0:
			j := i
			for j < len(f) && f[j] == c {
				j++
			}
			emit(c, j-i, "")
			i = j
		case c == '\'' || c == '"':
			j := strings.IndexByte(f[i+1:], c)
			if j < 0 {
				emit(0, 0, f[i+1:])
				return
			}
			emit(0, 0, f[i+1:i+1+j])
			i += j + 2
		case c == '\\' && i+1 < len(f):
			emit(0, 0, f[i+1:i+2])
			i += 2
		default:
			emit(0, 0, f[i:i+1])
			i++
		}
	}
}

func pad(n int64, width int) string {
	s := strconv.FormatInt(n, 10)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// fraction renders the first n digits of the 7-digit tick fraction; for F
// (trim) trailing zeros are dropped and an all-zero fraction is empty.
func fraction(ticks int64, n int, trim bool) string {
	if n > 7 {
		n = 7
	}
	s := pad(ticks, 7)[:n]
	if trim {
		s = strings.TrimRight(s, "0")
	}
	return s
}

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

func evalFormatDatetime(_ *Context, a []any) any {
	d, ok := asDate(a[0])
	if !ok {
		return ""
	}
	t := d.Time()
	frac := int64(d) % int64(types.Second)
	var b strings.Builder
	formatTokens(str(a[1]), "dfFhHmMsyt", func(c byte, n int, lit string) {
		switch c {
		case 0:
			b.WriteString(lit)
		case 'd':
			switch {
			case n <= 2:
				b.WriteString(pad(int64(t.Day()), n))
			case n == 3:
				b.WriteString(t.Weekday().String()[:3])
			default:
				b.WriteString(t.Weekday().String())
			}
		case 'f', 'F':
			b.WriteString(fraction(frac, n, c == 'F'))
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			b.WriteString(pad(int64(h), min(n, 2)))
		case 'H':
			b.WriteString(pad(int64(t.Hour()), min(n, 2)))
		case 'm':
			b.WriteString(pad(int64(t.Minute()), min(n, 2)))
		case 'M':
			switch {
			case n <= 2:
				b.WriteString(pad(int64(t.Month()), n))
			case n == 3:
				b.WriteString(monthNames[t.Month()-1][:3])
			default:
				b.WriteString(monthNames[t.Month()-1])
			}
		case 's':
			b.WriteString(pad(int64(t.Second()), min(n, 2)))
		case 'y':
			if n <= 2 {
				b.WriteString(pad(int64(t.Year()%100), n))
			} else {
				b.WriteString(pad(int64(t.Year()), n))
			}
		case 't':
			ampm := "AM"
			if t.Hour() >= 12 {
				ampm = "PM"
			}
			b.WriteString(ampm[:min(n, 2)])
		}
	})
	return b.String()
}

func evalFormatTimespan(_ *Context, a []any) any {
	ts, ok := asDuration(a[0])
	if !ok {
		return ""
	}
	v := int64(ts)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
		v = -v
	}
	days := v / int64(types.Day)
	h := v / int64(types.Hour) % 24
	m := v / int64(types.Minute) % 60
	s := v / int64(types.Second) % 60
	frac := v % int64(types.Second)
	formatTokens(str(a[1]), "dfFhHms", func(c byte, n int, lit string) {
		switch c {
		case 0:
			b.WriteString(lit)
		case 'd':
			b.WriteString(pad(days, n))
		case 'f', 'F':
			b.WriteString(fraction(frac, n, c == 'F'))
		case 'h', 'H':
			b.WriteString(pad(h, min(n, 2)))
		case 'm':
			b.WriteString(pad(m, min(n, 2)))
		case 's':
			b.WriteString(pad(s, min(n, 2)))
		}
	})
	return b.String()
}

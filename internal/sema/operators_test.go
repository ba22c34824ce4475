package sema

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"a*", "a", true},
		{"a*", "ab", true},
		{"a*", "ba", false},
		{"*a", "ba", true},
		{"*", "", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "acb", false},
		{"ab*ba", "aba", false}, // the ends must not overlap
		{"[x]*", "[x]y", true},  // only * is special
		{"a?", "ab", false},
		{"session_*", "session_id", true},
	}
	for _, tc := range tests {
		if got := match(tc.pattern, tc.name); got != tc.want {
			t.Errorf("match(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func TestGrannyCompare(t *testing.T) {
	tests := []struct {
		x, y string
		want int // sign
	}{
		{"a3", "a20", -1},
		{"a20", "a100", -1},
		{"a100", "a20", 1},
		{"a1", "a1", 0},
		{"a01", "a1", 0},
		{"a", "a1", -1},
		{"b1", "a2", 1},
		{"a10b2", "a10b10", -1},
	}
	for _, tc := range tests {
		got := grannyCompare(tc.x, tc.y)
		if sign(got) != tc.want {
			t.Errorf("grannyCompare(%q, %q) = %d, want sign %d", tc.x, tc.y, got, tc.want)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

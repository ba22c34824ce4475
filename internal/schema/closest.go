package schema

import "strings"

// Closest returns the built-in table name closest to name, for "did you
// mean" suggestions, or "" when none is close enough. See ClosestOf.
func Closest(name string) string { return ClosestOf(name, get().names) }

// ClosestOf returns the candidate closest to name by case-insensitive edit
// distance (Levenshtein), or "" when none is within max(1, len(name)/3)
// edits. A candidate equal to name ignoring case always wins; among equally
// close candidates the earliest wins, so callers control ties by order.
func ClosestOf(name string, candidates []string) string {
	if name == "" {
		return ""
	}
	lname := []rune(strings.ToLower(name))
	limit := max(1, len(lname)/3)
	best, bestDist := "", limit+1
	var row []int
	for _, c := range candidates {
		lc := []rune(strings.ToLower(c))
		if abs(len(lc)-len(lname)) >= bestDist {
			continue
		}
		var d int
		d, row = distance(lname, lc, row)
		if d < bestDist {
			best, bestDist = c, d
			if d == 0 {
				break
			}
		}
	}
	return best
}

// distance returns the Levenshtein distance of a and b, reusing row as
// scratch space (it is returned, possibly grown, for the next call).
func distance(a, b []rune, row []int) (int, []int) {
	if cap(row) < len(b)+1 {
		row = make([]int, len(b)+1)
	}
	row = row[:len(b)+1]
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag = row[j]
			row[j] = next
		}
	}
	return row[len(b)], row
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

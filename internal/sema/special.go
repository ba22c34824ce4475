package sema

import "slices"

// SpecialFunctions returns the scalar functions analysis handles itself
// rather than through the function registry (such as toscalar, and the
// window functions such as row_number), sorted. Tools list them with the
// registry's names.
func SpecialFunctions() []string {
	out := slices.Clone(specialFunctions)
	for name := range windowFuncs {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}
